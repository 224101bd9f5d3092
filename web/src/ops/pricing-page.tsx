import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { api } from '../api/client';
import { ApiError, unwrap } from '../api/errors';
import { NotAuthorized } from '../app/not-authorized';
import { Input } from '../ui/field';
import { formatNumber } from '../ui/format';
import { EmptyState, ErrorState, Loading } from '../ui/states';
import { opsKeys } from './queries';

export interface PricingSearch {
  from?: string | undefined;
  to?: string | undefined;
}

const pricingQuery = (search: PricingSearch) =>
  queryOptions({
    queryKey: opsKeys.pricing(search),
    queryFn: () => unwrap(api.GET('/api/ops/pricing/daily', { params: { query: { ...(search.from ? { from: search.from } : {}), ...(search.to ? { to: search.to } : {}) } } })),
    placeholderData: keepPreviousData,
  });

/**
 * `/ops/pricing?from=&to=`: messages per pricing category per workspace per day, counted from
 * the pricing objects Meta sent on status webhooks (stored as sent; no price is computed here).
 */
export function PricingPage() {
  const search = useSearch({ from: '/app/ops/pricing' });
  const navigate = useNavigate({ from: '/ops/pricing' });
  const report = useQuery(pricingQuery(search));
  if (report.error instanceof ApiError && report.error.status === 403) return <NotAuthorized message={report.error.message} />;
  const rows = report.data?.rows ?? [];
  const total = rows.reduce((n, r) => n + r.messages, 0);
  const setDate = (field: 'from' | 'to', value: string) => void navigate({ search: (prev) => ({ ...prev, [field]: value || undefined }), replace: true });

  return (
    <div>
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <p className="text-sm"><Link to="/ops/platform-admin" className="text-emerald-800 underline">Workspaces</Link></p>
          <h1 className="text-2xl font-semibold">Conversation pricing</h1>
          <p className="text-sm text-slate-600">
            {report.data ? `${formatNumber(total)} priced message${total === 1 ? '' : 's'}, ${report.data.from} to ${report.data.to} (UTC), by Meta's pricing category` : '\u00a0'}
          </p>
        </div>
        <div className="flex gap-2">
          <label className="flex flex-col text-xs font-medium text-slate-600">From
            <Input type="date" className="h-9" value={search.from ?? report.data?.from ?? ''} onChange={(e) => setDate('from', e.target.value)} />
          </label>
          <label className="flex flex-col text-xs font-medium text-slate-600">To
            <Input type="date" className="h-9" value={search.to ?? report.data?.to ?? ''} onChange={(e) => setDate('to', e.target.value)} />
          </label>
        </div>
      </div>
      <div className="mt-4 overflow-x-auto rounded-lg border border-slate-200 bg-white">
        {report.isPending ? <Loading label="Loading pricing…" /> : null}
        {report.isError && !report.data ? <ErrorState title="Could not load pricing" message={report.error.message} /> : null}
        {report.data && rows.length === 0 ? <EmptyState title="No priced messages">Meta's status webhooks have reported no pricing in this range.</EmptyState> : null}
        {rows.length > 0 ? (
          <table className="w-full text-sm">
            <caption className="sr-only">Messages per pricing category per workspace per day</caption>
            <thead className="bg-slate-50 text-left text-xs text-slate-600 uppercase">
              <tr><th scope="col" className="px-3 py-2">Day</th><th scope="col" className="px-3 py-2">Workspace</th><th scope="col" className="px-3 py-2">Category</th><th scope="col" className="px-3 py-2">Type</th><th scope="col" className="px-3 py-2 text-right">Messages</th><th scope="col" className="px-3 py-2 text-right">Billable</th></tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.day}-${r.workspaceId}-${r.category}-${r.pricingType ?? ''}`} className="border-t border-slate-100">
                  <td className="px-3 py-2 whitespace-nowrap">{r.day}</td>
                  <td className="px-3 py-2"><Link to="/ops/workspaces/$workspaceId" params={{ workspaceId: r.workspaceId }} className="text-emerald-800 underline">{r.workspaceSlug}</Link></td>
                  <td className="px-3 py-2">{r.category}</td>
                  <td className="px-3 py-2 text-slate-600">{r.pricingType ?? '—'}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{formatNumber(r.messages)}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{formatNumber(r.billable)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
    </div>
  );
}
