import { compactJson, formatDateTime, formatNumber } from '../ui/format';
import { EmptyState } from '../ui/states';
import { useHistory } from './history-queries';
import { LoadMore } from './load-more';
import type { WorkspaceDetail } from './queries';

const TH = 'px-4 py-2 font-medium';
const TABLE_HEAD = 'bg-slate-50 text-xs tracking-wide text-slate-500 uppercase';

/** The token ledger, newest first: the detail's page, then older pages on "Load more". */
export function LedgerSection({ detail }: { detail: WorkspaceDetail }) {
  const history = useHistory(detail.workspace.id, 'ledger', detail.ledger, detail.ledgerNextBefore);
  const ledger = history.rows;
  return (
    <section aria-labelledby="ledger-heading" className="min-w-0 rounded-lg border border-slate-200 bg-white">
      <h2 id="ledger-heading" className="border-b border-slate-200 px-4 py-3 font-semibold">Token ledger</h2>
      {ledger.length === 0 ? <EmptyState title="No token changes yet" /> : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className={TABLE_HEAD}>
              <tr>
                <th scope="col" className={TH}>When</th>
                <th scope="col" className={`${TH} text-right`}>Change</th>
                <th scope="col" className={`${TH} text-right max-sm:hidden`}>Balance after</th>
                <th scope="col" className={TH}>Reason</th>
                <th scope="col" className={`${TH} max-sm:hidden`}>Reference ID</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {ledger.map((entry) => (
                <tr key={entry.id}>
                  <td className="px-4 py-2 text-slate-600 sm:whitespace-nowrap">{formatDateTime(entry.createdAt)}</td>
                  <td className={`px-4 py-2 text-right font-medium tabular-nums ${entry.delta > 0 ? 'text-emerald-700' : 'text-red-700'}`}>
                    {entry.delta > 0 ? '+' : '−'}{formatNumber(Math.abs(entry.delta))}
                  </td>
                  <td className="px-4 py-2 text-right tabular-nums max-sm:hidden">{formatNumber(entry.balanceAfter)}</td>
                  <td className="px-4 py-2">
                    {entry.reason}
                    {entry.refId ? <code className="block text-xs text-slate-500 sm:hidden">{entry.refId}</code> : null}
                  </td>
                  <td className="px-4 py-2 text-slate-600 max-sm:hidden"><code className="text-xs">{entry.refId ?? ''}</code></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore history={history} what="ledger entries" />
    </section>
  );
}

type AuditEntry = WorkspaceDetail['audit'][number];

/** One line a person can read: what changed, for token and entitlement actions alike. */
function summary(entry: AuditEntry): string {
  const meta = entry.meta as { amount?: number; reason?: string; referenceId?: string | null };
  if (entry.action.startsWith('owner.tokens.')) {
    const sign = entry.action === 'owner.tokens.granted' ? '+' : '−';
    const balance = (entry.after as { balance?: number } | null)?.balance;
    return [
      `${sign}${formatNumber(meta.amount ?? 0)} tokens`,
      meta.reason ? `“${meta.reason}”` : null,
      meta.referenceId ? `ref ${meta.referenceId}` : null,
      balance === undefined ? null : `balance ${formatNumber(balance)}`,
    ].filter(Boolean).join(' · ');
  }
  const after = entry.after as { payload?: unknown; reason?: string | null } | null;
  return [entry.targetId, after ? `payload ${compactJson(after.payload)}` : null, after?.reason ? `reason “${after.reason}”` : null].filter(Boolean).join(' · ');
}

/** The audit log of this workspace, newest first: who did what, with the rows before and after on demand; older pages on "Load more". */
export function AuditSection({ detail }: { detail: WorkspaceDetail }) {
  const history = useHistory(detail.workspace.id, 'audit', detail.audit, detail.auditNextBefore);
  const audit = history.rows;
  return (
    <section aria-labelledby="audit-heading" className="min-w-0 rounded-lg border border-slate-200 bg-white">
      <h2 id="audit-heading" className="border-b border-slate-200 px-4 py-3 font-semibold">Audit log</h2>
      {audit.length === 0 ? <EmptyState title="Nothing recorded yet" /> : (
        <ul className="divide-y divide-slate-100">
          {audit.map((entry) => (
            <li key={entry.id} className="px-4 py-2.5 text-sm">
              <div className="flex flex-wrap items-baseline justify-between gap-x-4">
                <code className="font-medium text-slate-900">{entry.action}</code>
                <span className="text-xs text-slate-500">{formatDateTime(entry.createdAt)} · {entry.actorEmail ?? 'system'}</span>
              </div>
              <p className="mt-0.5 break-words text-slate-700">{summary(entry)}</p>
              <details className="mt-1 text-xs text-slate-600">
                <summary className="cursor-pointer select-none">Before and after</summary>
                <div className="mt-1 grid gap-2 md:grid-cols-2">
                  <pre className="overflow-x-auto rounded bg-slate-50 p-2">{JSON.stringify(entry.before, null, 2)}</pre>
                  <pre className="overflow-x-auto rounded bg-slate-50 p-2">{JSON.stringify(entry.after, null, 2)}</pre>
                </div>
              </details>
            </li>
          ))}
        </ul>
      )}
      <LoadMore history={history} what="audit entries" />
    </section>
  );
}
