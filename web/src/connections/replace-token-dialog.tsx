import { type FormEvent, useState } from 'react';
import { messageOf } from '../api/errors';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { ErrorAlert } from '../ui/error-alert';
import { Field, Input } from '../ui/field';
import { useToast } from '../ui/toast';
import { useUpdateConnection } from './mutations';
import { type Connection, connectionName } from './queries';

/** A new access token for a number (an expired or revoked one); stored encrypted, never shown. */
export function ReplaceTokenDialog({ workspaceId, connection, onClose }: { workspaceId: string; connection: Connection; onClose: () => void }) {
  const [token, setToken] = useState('');
  const [touched, setTouched] = useState(false);
  const update = useUpdateConnection(workspaceId);
  const toast = useToast();
  const error = touched && !/^\S{10,4096}$/.test(token.trim()) ? 'Paste the access token (at least 10 characters, no spaces)' : null;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!/^\S{10,4096}$/.test(token.trim())) return;
    update.mutate({ id: connection.id, accessToken: token.trim() }, {
      onSuccess: () => {
        toast({ title: 'Token replaced', description: `${connectionName(connection)} uses the new token from now on.` });
        onClose();
      },
    });
  };

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title={`Replace the token of ${connectionName(connection)}`}>
      <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
        {update.isError ? <ErrorAlert>{messageOf(update.error)}</ErrorAlert> : null}
        <Field label="New access token" error={error}>
          {(props) => <Input {...props} type="password" autoComplete="off" spellCheck={false} value={token} onChange={(e) => setToken(e.target.value)} />}
        </Field>
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={update.isPending}>Replace token</Button>
        </div>
      </form>
    </Dialog>
  );
}
