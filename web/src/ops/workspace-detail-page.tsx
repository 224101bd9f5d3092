import { Link, useParams } from '@tanstack/react-router';
import { ArrowLeft, Minus, Plus } from 'lucide-react';
import { useState } from 'react';
import { ApiError } from '../api/errors';
import { NotAuthorized } from '../app/not-authorized';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { formatDateTime, formatNumber } from '../ui/format';
import { ErrorState, Loading } from '../ui/states';
import { EntitlementsSection } from './entitlements-section';
import { AuditSection, LedgerSection } from './history-sections';
import { useWorkspace } from './queries';
import { TokenDialog } from './token-dialog';

const BACK = 'inline-flex items-center gap-1 text-sm font-medium text-emerald-800 hover:underline';

/** `/ops/workspaces/<id>`: balance with grant and deduct, entitlements, ledger and audit. */
export function WorkspaceDetailPage() {
  const { workspaceId } = useParams({ from: '/app/ops/workspaces/$workspaceId' });
  const detail = useWorkspace(workspaceId);
  const [tokens, setTokens] = useState<'grant' | 'deduct' | null>(null);

  if (detail.isPending) return <Loading label="Loading workspace…" />;
  if (detail.isError) {
    const error = detail.error;
    if (error instanceof ApiError && error.status === 403) return <NotAuthorized message={error.message} />;
    const notFound = error instanceof ApiError && error.code === 'workspace_not_found';
    return (
      <ErrorState
        title={notFound ? 'Workspace not found' : 'Could not load the workspace'}
        message={notFound ? `No workspace has the id “${workspaceId}”.` : error.message}
      >
        <Link to="/ops/platform-admin" search={{}} className={`mt-2 ${BACK}`}>Back to workspaces</Link>
      </ErrorState>
    );
  }

  const { workspace, entitlements } = detail.data;
  return (
    <div className="flex min-w-0 flex-col gap-6">
      <div>
        <Link to="/ops/platform-admin" search={{}} className={BACK}><ArrowLeft className="size-4" aria-hidden />Workspaces</Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold">{workspace.name}</h1>
          <Badge tone={workspace.status === 'active' ? 'green' : 'amber'}>{workspace.status}</Badge>
        </div>
        <p className="text-sm text-slate-600">
          <code>{workspace.slug}</code> · created {formatDateTime(workspace.createdAt)} · <code className="text-xs">{workspace.id}</code>
        </p>
      </div>

      <section aria-labelledby="balance-heading" className="flex flex-wrap items-center justify-between gap-4 rounded-lg border border-slate-200 bg-white p-4">
        <div>
          <h2 id="balance-heading" className="text-sm font-medium text-slate-600">Token balance</h2>
          <p className="text-3xl font-semibold tabular-nums" data-testid="balance">{formatNumber(workspace.balance)}</p>
        </div>
        <div className="flex gap-2">
          <Button variant="primary" onClick={() => setTokens('grant')}><Plus className="size-4" aria-hidden />Grant tokens</Button>
          <Button onClick={() => setTokens('deduct')}><Minus className="size-4" aria-hidden />Deduct tokens</Button>
        </div>
      </section>

      <EntitlementsSection workspaceId={workspace.id} entitlements={entitlements} />
      <LedgerSection detail={detail.data} />
      <AuditSection detail={detail.data} />
      {tokens ? <TokenDialog workspaceId={workspace.id} direction={tokens} open onOpenChange={(open) => (open ? undefined : setTokens(null))} /> : null}
    </div>
  );
}
