import { compactJson, formatDateTime, formatNumber } from '../ui/format';
import { EmptyState } from '../ui/states';
import type { WorkspaceDetail } from './queries';

const TH = 'px-4 py-2 font-medium';
const TABLE_HEAD = 'bg-slate-50 text-xs tracking-wide text-slate-500 uppercase';

/** The most recent token ledger entries, newest first. */
export function LedgerSection({ ledger }: { ledger: WorkspaceDetail['ledger'] }) {
  return (
    <section aria-labelledby="ledger-heading" className="rounded-lg border border-slate-200 bg-white">
      <h2 id="ledger-heading" className="border-b border-slate-200 px-4 py-3 font-semibold">Token ledger</h2>
      {ledger.length === 0 ? <EmptyState title="No token changes yet" /> : (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[600px] text-left text-sm">
            <thead className={TABLE_HEAD}>
              <tr>
                <th scope="col" className={TH}>When</th>
                <th scope="col" className={`${TH} text-right`}>Change</th>
                <th scope="col" className={`${TH} text-right`}>Balance after</th>
                <th scope="col" className={TH}>Reason</th>
                <th scope="col" className={TH}>Reference ID</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {ledger.map((entry) => (
                <tr key={entry.id}>
                  <td className="px-4 py-2 whitespace-nowrap text-slate-600">{formatDateTime(entry.createdAt)}</td>
                  <td className={`px-4 py-2 text-right font-medium tabular-nums ${entry.delta > 0 ? 'text-emerald-700' : 'text-red-700'}`}>
                    {entry.delta > 0 ? '+' : '−'}{formatNumber(Math.abs(entry.delta))}
                  </td>
                  <td className="px-4 py-2 text-right tabular-nums">{formatNumber(entry.balanceAfter)}</td>
                  <td className="px-4 py-2">{entry.reason}</td>
                  <td className="px-4 py-2 text-slate-600"><code className="text-xs">{entry.refId ?? ''}</code></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The most recent audit entries of this workspace: who did what, before and after. */
export function AuditSection({ audit }: { audit: WorkspaceDetail['audit'] }) {
  return (
    <section aria-labelledby="audit-heading" className="rounded-lg border border-slate-200 bg-white">
      <h2 id="audit-heading" className="border-b border-slate-200 px-4 py-3 font-semibold">Audit log</h2>
      {audit.length === 0 ? <EmptyState title="Nothing recorded yet" /> : (
        <ul className="divide-y divide-slate-100">
          {audit.map((entry) => (
            <li key={entry.id} className="px-4 py-2.5 text-sm">
              <div className="flex flex-wrap items-baseline justify-between gap-x-4">
                <code className="font-medium text-slate-900">{entry.action}</code>
                <span className="text-xs text-slate-500">{formatDateTime(entry.createdAt)}</span>
              </div>
              <div className="text-xs text-slate-600">
                {entry.actorEmail ?? 'system'} · {entry.targetTable} <code>{entry.targetId}</code>
              </div>
              {entry.after !== null ? <code className="mt-1 block truncate text-xs text-slate-500" title={compactJson(entry.after)}>{compactJson(entry.after)}</code> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
