import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { History, RefreshCw, Search } from 'lucide-react';
import { useState } from 'react';
import { ApiError, messageOf } from '../api/errors';
import { NotAuthorized } from '../app/not-authorized';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { ErrorAlert } from '../ui/error-alert';
import { Input } from '../ui/field';
import { formatListTime, formatNumber } from '../ui/format';
import { EmptyState, ErrorState, Loading } from '../ui/states';
import { useToast } from '../ui/toast';
import { useUrlText } from '../ui/use-url-text';
import { useMonitorPoll } from './monitor-live';
import { MonitorLayout } from './monitor-nav';
import { MonitorSwitch } from './monitor-switch';
import { retryMessage, useToggleGroup, useWorkerRequest } from './mutations';
import { GROUP_PAGE, groupsQuery, statusQuery } from './queries';
import { RenameHistory } from './rename-history';
import { GROUP_FILTERS, type GroupsSearch } from './search';

const FILTER_LABEL = { monitored: 'Monitored', unmonitored: 'Not monitored', blocked: 'Blocked' } as const;

/** `/monitor/groups`: discovered groups, searchable and filtered, with the Monitor switch. */
export function GroupsPage() {
  const search = useSearch({ from: '/app/monitor-live/monitor/groups' });
  const navigate = useNavigate({ from: '/monitor/groups' });
  const go = (next: Partial<GroupsSearch>) => void navigate({ search: (prev: GroupsSearch) => ({ ...prev, page: undefined, ...next }), replace: true });
  const [typed, setTyped] = useUrlText(search.q ?? '', (q) => go({ q: q || undefined }));
  const poll = useMonitorPoll();
  const list = useQuery({ ...groupsQuery(search), refetchInterval: poll });
  const status = useQuery({ ...statusQuery(), refetchInterval: poll });
  const canManage = status.data?.canManage ?? false;
  const toggle = useToggleGroup();
  const fetchNow = useWorkerRequest('/api/monitor/fetch-groups-now');
  const toast = useToast();
  const [fetchProblem, setFetchProblem] = useState<string | null>(null);
  const [history, setHistory] = useState<{ id: string; name: string } | null>(null);

  if (list.error instanceof ApiError && list.error.status === 403) return <NotAuthorized message={list.error.message} />;
  const page = search.page ?? 1;
  const pages = list.data ? Math.max(1, Math.ceil(list.data.total / GROUP_PAGE)) : 1;

  const actions = canManage ? (
    <Button
      busy={fetchNow.isPending}
      onClick={() => {
        setFetchProblem(null);
        fetchNow.mutate(undefined, {
          onSuccess: () => toast({ title: 'Discovery requested', description: 'New groups appear here as the worker finds them.' }),
          onError: (error) => setFetchProblem(retryMessage(error)),
        });
      }}
    ><RefreshCw className="size-4" aria-hidden />Fetch groups now
    </Button>
  ) : null;

  return (
    <MonitorLayout title="Groups" actions={actions}>
      {fetchProblem ? <ErrorAlert>{fetchProblem}</ErrorAlert> : null}
      <div className="flex flex-wrap items-center gap-2">
        <div className="relative w-full sm:w-72">
          <Search className="pointer-events-none absolute top-3 left-3 size-4 text-slate-400" aria-hidden />
          <Input type="search" aria-label="Search groups by name" placeholder="Search by name" className="pl-9" value={typed} onChange={(e) => setTyped(e.target.value)} />
        </div>
        <label className="flex items-center gap-2 text-sm text-slate-700">
          Show
          <select
            aria-label="Filter groups"
            className="h-10 rounded-md border border-slate-300 bg-white px-2 text-sm"
            value={search.filter ?? ''}
            onChange={(e) => go({ filter: GROUP_FILTERS.find((f) => f === e.target.value) })}
          >
            <option value="">All groups</option>
            {GROUP_FILTERS.map((f) => <option key={f} value={f}>{FILTER_LABEL[f]}</option>)}
          </select>
        </label>
        <p className="text-sm text-slate-600 sm:ml-auto" aria-live="polite">{list.data ? `${formatNumber(list.data.total)} group${list.data.total === 1 ? '' : 's'}` : ''}</p>
      </div>

      <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
        {list.isPending ? <Loading label="Loading groups…" /> : null}
        {list.isError && !list.data ? <ErrorState title="Could not load groups" message={list.error.message} /> : null}
        {list.data && list.data.items.length === 0 ? (
          <EmptyState title={search.q || search.filter ? 'No group matches' : 'No groups discovered yet'}>
            {search.q || search.filter ? 'Try another name or filter.' : 'Link a phone on the Session page; discovery runs once it is connected.'}
          </EmptyState>
        ) : null}
        {list.data && list.data.items.length > 0 ? (
          <ul aria-label="Groups" className="divide-y divide-slate-100">
            {list.data.items.map((group) => (
              <li key={group.id} className="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
                <div className="min-w-0 basis-full sm:basis-0 sm:flex-1">
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="font-medium break-words text-slate-900">{group.name}</span>
                    {group.blocked ? <Badge tone="amber">Blocked</Badge> : null}
                  </div>
                  <div className="text-xs text-slate-500">
                    {formatNumber(group.messageCount)} message{group.messageCount === 1 ? '' : 's'}
                    {group.lastMessageAt ? <> · last <time dateTime={group.lastMessageAt}>{formatListTime(group.lastMessageAt)}</time></> : null}
                  </div>
                </div>
                <Link to="/monitor/messages" search={{ groupId: group.id }} className="text-sm font-medium text-emerald-800 underline">Messages</Link>
                <Button size="sm" variant="ghost" aria-label={`Rename history of ${group.name}`} onClick={() => setHistory({ id: group.id, name: group.name })}>
                  <History className="size-4" aria-hidden />History
                </Button>
                {canManage ? (
                  <MonitorSwitch
                    name={group.name}
                    checked={group.monitor}
                    onChange={(monitor) => toggle.mutate({ id: group.id, monitor }, {
                      onError: (error) => toast({ tone: 'error', title: `Could not change “${group.name}”`, description: messageOf(error) }),
                    })}
                  />
                ) : <Badge tone={group.monitor ? 'green' : 'gray'}>{group.monitor ? 'Monitored' : 'Not monitored'}</Badge>}
              </li>
            ))}
          </ul>
        ) : null}
      </div>

      {pages > 1 ? (
        <nav aria-label="Pages" className="flex items-center justify-between gap-2 text-sm">
          <Button size="sm" disabled={page <= 1} onClick={() => go({ q: search.q, filter: search.filter, page: page - 1 === 1 ? undefined : page - 1 })}>Previous</Button>
          <span>Page {page} of {pages}</span>
          <Button size="sm" disabled={page >= pages} onClick={() => go({ q: search.q, filter: search.filter, page: page + 1 })}>Next</Button>
        </nav>
      ) : null}
      <RenameHistory group={history} onClose={() => setHistory(null)} />
    </MonitorLayout>
  );
}
