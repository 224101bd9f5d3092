import { useState } from 'react';
import { messageOf } from '../api/errors';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { formatDateTime } from '../ui/format';
import { useToast } from '../ui/toast';
import { useTestConnection, useUpdateConnection } from './mutations';
import { type Connection, connectionName } from './queries';
import { ReplaceTokenDialog } from './replace-token-dialog';
import { TestResult } from './test-result';

/** One number: what it is, whether it is live, and (for managers) test, activate or deactivate, replace the token. */
export function ConnectionCard({ workspaceId, connection, canManage }: { workspaceId: string; connection: Connection; canManage: boolean }) {
  const update = useUpdateConnection(workspaceId);
  const test = useTestConnection(workspaceId);
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  const [replacing, setReplacing] = useState(false);
  const name = connectionName(connection);
  const active = connection.status === 'active';

  const setStatus = (status: 'active' | 'inactive') => update.mutate({ id: connection.id, status }, {
    onSuccess: () => toast({ title: status === 'active' ? `${name} is active` : `${name} is deactivated`, description: status === 'active' ? 'Replies go out on it again.' : 'Replies on its conversations are refused until it is activated.' }),
    onError: (error) => toast({ tone: 'error', title: 'Could not change the number', description: messageOf(error) }),
  });

  return (
    <li className="rounded-lg border border-slate-200 bg-white p-4" aria-label={`Number ${name}`}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 className="flex flex-wrap items-center gap-2 font-medium text-slate-900">
            {name}
            <Badge tone={active ? 'green' : 'gray'}>{active ? 'Active' : 'Inactive'}</Badge>
            {!connection.hasToken ? <Badge tone="amber">No token</Badge> : null}
          </h2>
          {connection.displayName ? <p className="text-sm text-slate-600">{connection.displayName}</p> : null}
        </div>
        {canManage ? (
          <div className="flex flex-wrap gap-2">
            <Button size="sm" busy={test.isPending} onClick={() => test.mutate(connection.id, { onError: (error) => toast({ tone: 'error', title: 'Could not test the number', description: messageOf(error) }) })}>
              Test connection
            </Button>
            <Button size="sm" onClick={() => setReplacing(true)}>Replace token</Button>
            {active
              ? <Button size="sm" variant="ghost" busy={update.isPending} onClick={() => setConfirming(true)}>Deactivate</Button>
              : <Button size="sm" variant="primary" busy={update.isPending} onClick={() => setStatus('active')}>Activate</Button>}
          </div>
        ) : null}
      </div>
      <dl className="mt-3 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-3">
        <div><dt className="text-slate-500">Phone number ID</dt><dd className="font-mono break-all">{connection.phoneNumberId}</dd></div>
        <div><dt className="text-slate-500">WABA ID</dt><dd className="font-mono break-all">{connection.wabaId ?? '—'}</dd></div>
        <div><dt className="text-slate-500">Last webhook</dt><dd>{connection.lastWebhookAt ? formatDateTime(connection.lastWebhookAt) : 'None yet'}</dd></div>
      </dl>
      {test.data ? <div className="mt-3"><TestResult result={test.data} /></div> : null}
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={`Deactivate ${name}?`}
        description="Its conversations stay in the inbox and webhooks are still stored, but replies on it are refused until you activate it again."
        action="Deactivate"
        onConfirm={() => setStatus('inactive')}
      />
      {replacing ? <ReplaceTokenDialog workspaceId={workspaceId} connection={connection} onClose={() => setReplacing(false)} /> : null}
    </li>
  );
}
