import { type FormEvent, useState } from 'react';
import { messageOf } from '../api/errors';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { ErrorAlert } from '../ui/error-alert';
import { Field, Input } from '../ui/field';
import { useToast } from '../ui/toast';
import { parsePayload, PayloadEditor } from './payload-editor';
import { useDisableEntitlement, useEnableEntitlement, useSetPayload } from './queries';

export type EntitlementAction = { mode: 'enable' | 'disable' | 'payload'; key: string; payload: Record<string, unknown> };

const WORDS = {
  enable: { title: 'Enable', confirm: 'Confirm enable', done: 'enabled' },
  disable: { title: 'Disable', confirm: 'Confirm disable', done: 'disabled' },
  payload: { title: 'Payload of', confirm: 'Save payload', done: 'payload saved' },
};

/** Enable (with an optional payload), disable (with an optional reason) or edit the payload of one entitlement. */
export function EntitlementDialog({ workspaceId, action, onClose }: { workspaceId: string; action: EntitlementAction; onClose: () => void }) {
  const [text, setText] = useState(action.mode === 'payload' ? JSON.stringify(action.payload, null, 2) : '');
  const [reason, setReason] = useState('');
  const enable = useEnableEntitlement(workspaceId);
  const disable = useDisableEntitlement(workspaceId);
  const setPayload = useSetPayload(workspaceId);
  const toast = useToast();
  const words = WORDS[action.mode];
  const parsed = parsePayload(text);
  const running = action.mode === 'enable' ? enable : action.mode === 'disable' ? disable : setPayload;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const done = {
      onSuccess: () => {
        toast({ title: `${action.key} ${words.done}` });
        onClose();
      },
    };
    if (action.mode === 'disable') return disable.mutate({ key: action.key, reason }, done);
    if (!parsed.ok) return;
    if (action.mode === 'enable') enable.mutate({ key: action.key, payload: parsed.value }, done);
    else setPayload.mutate({ key: action.key, payload: parsed.value }, done);
  };

  return (
    <Dialog open onOpenChange={(open) => (open ? undefined : onClose())} title={`${words.title} ${action.key}`}>
      <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
        {running.isError ? <ErrorAlert>{messageOf(running.error)}</ErrorAlert> : null}
        {action.mode === 'disable' ? (
          <Field label="Reason (optional)" hint="Kept with the entitlement and in the audit log.">
            {(props) => <Input {...props} autoComplete="off" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />}
          </Field>
        ) : (
          <PayloadEditor value={text} onChange={setText} label={action.mode === 'enable' ? 'Payload (optional JSON object)' : 'Payload (JSON object)'} />
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant={action.mode === 'disable' ? 'danger' : 'primary'} busy={running.isPending} disabled={action.mode !== 'disable' && !parsed.ok}>
            {words.confirm}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
