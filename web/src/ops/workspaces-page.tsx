import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { Search } from 'lucide-react';
import { ApiError } from '../api/errors';
import { NotAuthorized } from '../app/not-authorized';
import { Badge } from '../ui/badge';
import { Input } from '../ui/field';
import { formatNumber } from '../ui/format';
import { EmptyState, ErrorState, Loading } from '../ui/states';
import { useUrlText } from '../ui/use-url-text';
import { PAGE_SIZE, workspacesQuery } from './queries';

/** `/ops/platform-admin`: every workspace, searchable by name or slug, a page of 25 at a time. */
export function WorkspacesPage() {
  const raw = useSearch({ from: '/app/ops/platform-admin' });
  const search = { q: raw.q ?? '', page: raw.page ?? 1 };
  const navigate = useNavigate({ from: '/ops/platform-admin' });
  // Typing replaces the history entry (no entry per keystroke) and goes back to page 1.
  const [typed, setTyped] = useUrlText(search.q, (q) => void navigate({ search: { q: q || undefined }, replace: true }));

  const list = useQuery(workspacesQuery(search));
  if (list.error instanceof ApiError && list.error.status === 403) return <NotAuthorized message={list.error.message} />;
  const pages = list.data ? Math.max(1, Math.ceil(list.data.total / PAGE_SIZE)) : 1;

  return (
    <div>
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Workspaces</h1>
          <p className="text-sm"><Link to="/ops/pricing" className="text-emerald-800 underline">Conversation pricing per day</Link></p>
          <p className="text-sm text-slate-600">{list.data ? `${formatNumber(list.data.total)} workspace${list.data.total === 1 ? '' : 's'}` : '\u00a0'}</p>
        </div>
        <div className="relative w-full sm:w-72">
          <Search className="pointer-events-none absolute top-3 left-3 size-4 text-slate-400" aria-hidden />
          <Input type="search" aria-label="Search workspaces by name or slug" placeholder="Search name or slug" className="pl-9" value={typed} onChange={(e) => setTyped(e.target.value)} />
        </div>
      </div>

      <div className="mt-4 overflow-hidden rounded-lg border border-slate-200 bg-white">
        {list.isPending ? <Loading label="Loading workspaces…" /> : null}
        {list.isError && !list.data ? <ErrorState title="Could not load workspaces" message={list.error.message} /> : null}
        {list.data && list.data.items.length === 0 ? (
          list.data.total > 0 ? (
            <EmptyState title={`Page ${search.page} is past the last page`}>
              <Link to="/ops/platform-admin" search={{ q: search.q || undefined }} className="font-medium text-emerald-800 underline">Go to the first page</Link>
            </EmptyState>
          ) : (
            <EmptyState title={search.q ? `No workspace matches “${search.q}”` : 'No workspaces yet'}>
              {search.q ? 'Try another name or slug.' : 'Create one with: npx wabase workspace add --slug … --name …'}
            </EmptyState>
          )
        ) : null}
        {list.data && list.data.items.length > 0 ? (
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Workspaces</caption>
            <thead className="border-b border-slate-200 bg-slate-50 text-xs tracking-wide text-slate-500 uppercase">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">Workspace</th>
                <th scope="col" className="px-4 py-2 text-right font-medium">Balance</th>
                <th scope="col" className="hidden px-4 py-2 font-medium md:table-cell">Enabled entitlements</th>
                <th scope="col" className="px-4 py-2"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {list.data.items.map((workspace) => (
                <tr key={workspace.id} className="align-middle">
                  <td className="px-4 py-3">
                    <div className="font-medium text-slate-900">{workspace.name}</div>
                    <div className="text-xs text-slate-500">
                      {workspace.slug}
                      {workspace.status !== 'active' ? <> · <Badge tone="amber">{workspace.status}</Badge></> : null}
                    </div>
                    {workspace.enabledEntitlements.length > 0 ? (
                      <div className="mt-1 flex flex-wrap gap-1 md:hidden">
                        {workspace.enabledEntitlements.map((key) => <Badge key={key} tone="green">{key}</Badge>)}
                      </div>
                    ) : null}
                  </td>
                  <td className="px-4 py-3 text-right tabular-nums">{formatNumber(workspace.balance)}</td>
                  <td className="hidden px-4 py-3 md:table-cell">
                    <div className="flex flex-wrap gap-1">
                      {workspace.enabledEntitlements.length === 0 ? <span className="text-slate-400">None</span> : null}
                      {workspace.enabledEntitlements.map((key) => <Badge key={key} tone="green">{key}</Badge>)}
                    </div>
                  </td>
                  <td className="px-4 py-3 text-right">
                    <Link
                      to="/ops/workspaces/$workspaceId"
                      params={{ workspaceId: workspace.id }}
                      className="inline-flex h-8 items-center rounded-md border border-slate-300 px-3 text-sm font-medium hover:bg-slate-50"
                      aria-label={`Details of ${workspace.name}`}
                    >
                      Details
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>

      {list.data && pages > 1 ? (
        <nav aria-label="Pages" className="mt-4 flex items-center justify-between text-sm">
          <PageLink page={search.page - 1} q={search.q} disabled={search.page <= 1}>Previous</PageLink>
          <span className="text-slate-600">Page {search.page} of {pages}</span>
          <PageLink page={search.page + 1} q={search.q} disabled={search.page >= pages}>Next</PageLink>
        </nav>
      ) : null}
    </div>
  );
}

function PageLink({ page, q, disabled, children }: { page: number; q: string; disabled: boolean; children: string }) {
  if (disabled) return <span className="rounded-md px-3 py-1.5 text-slate-400" aria-disabled="true">{children}</span>;
  return (
    <Link to="/ops/platform-admin" search={{ q: q || undefined, page: page > 1 ? page : undefined }} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-50">
      {children}
    </Link>
  );
}
