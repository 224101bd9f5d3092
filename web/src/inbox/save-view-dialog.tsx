import { type FormEvent, useState } from 'react';
import { ApiError, messageOf } from '../api/errors';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { Field, Input } from '../ui/field';
import { useToast } from '../ui/toast';
import { useCreateView } from './mutations';
import type { SavedView } from './queries';
import type { InboxFilters } from './search';

interface SaveViewDialogProps {
  workspaceId: string;
  filters: InboxFilters;
  open: boolean;
  onOpenChange(open: boolean): void;
  onSaved(view: SavedView): void;
}

/** Names the current filters; a name already used shows "View name already exists" and keeps the dialog open. */
export function SaveViewDialog({ workspaceId, filters, open, onOpenChange, onSaved }: SaveViewDialogProps) {
  const [name, setName] = useState('');
  const create = useCreateView(workspaceId);
  const toast = useToast();
  const taken = create.error instanceof ApiError && create.error.code === 'view_name_exists';

  const close = (next: boolean) => {
    if (!next) {
      setName('');
      create.reset();
    }
    onOpenChange(next);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    create.mutate({ name: name.trim(), filters }, {
      onSuccess: (view) => {
        toast({ title: `Saved view “${view.name}”` });
        onSaved(view);
        close(false);
      },
    });
  };
  const summary = Object.entries(filters).map(([k, v]) => `${k}: ${v}`).join(', ') || 'no filters (everything)';

  return (
    <Dialog open={open} onOpenChange={close} title="Save view" description={`Saves ${summary}.`}>
      <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
        <Field label="View name" error={taken ? 'View name already exists' : create.isError ? messageOf(create.error) : null}>
          {(props) => (
            <Input
              {...props}
              value={name}
              maxLength={80}
              autoComplete="off"
              onChange={(e) => {
                setName(e.target.value);
                if (create.isError) create.reset();
              }}
            />
          )}
        </Field>
        <div className="flex justify-end gap-2">
          <Button onClick={() => close(false)}>Cancel</Button>
          <Button type="submit" variant="primary" busy={create.isPending} disabled={!name.trim()}>Save view</Button>
        </div>
      </form>
    </Dialog>
  );
}
