import { useInfiniteQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { ApiError } from '../api/errors';
import { NotAuthorized } from '../app/not-authorized';
import { Button } from '../ui/button';
import { ErrorAlert } from '../ui/error-alert';
import { EmptyState, ErrorState, Loading } from '../ui/states';
import { useMonitorPoll } from './monitor-live';
import { ActivityRow } from './activity-list';
import { MonitorLayout } from './monitor-nav';
import { activityQuery } from './queries';
import { AUDIT_KINDS, type ActivitySearch } from './search';

/** `/monitor/activity`: the audit log, newest first, by kind (`?kind=error`), paged. */
export function ActivityPage() {
  const search = useSearch({ from: '/app/monitor-live/monitor/activity' });
  const navigate = useNavigate({ from: '/monitor/activity' });
  const log = useInfiniteQuery({ ...activityQuery(search), refetchInterval: useMonitorPoll() });
  if (log.error instanceof ApiError && log.error.status === 403) return <NotAuthorized message={log.error.message} />;
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <MonitorLayout title="Activity">
      <label className="flex items-center gap-2 text-sm text-slate-700">
        Kind
        <select
          aria-label="Activity kind"
          className="h-10 rounded-md border border-slate-300 bg-white px-2 text-sm"
          value={search.kind ?? ''}
          onChange={(e) => void navigate({ search: (): ActivitySearch => ({ kind: AUDIT_KINDS.find((k) => k === e.target.value) }), replace: true })}
        >
          <option value="">All</option>
          {AUDIT_KINDS.map((k) => <option key={k} value={k}>{k}</option>)}
        </select>
      </label>
      <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
        {log.isPending ? <Loading label="Loading activity…" /> : null}
        {log.isError && !log.data ? <ErrorState title="Could not load activity" message={log.error.message} /> : null}
        {log.data && items.length === 0 ? <EmptyState title="Nothing recorded yet" /> : null}
        {items.length > 0 ? <ul aria-label="Activity" className="divide-y divide-slate-100">{items.map((e) => <ActivityRow key={e.id} entry={e} />)}</ul> : null}
        {log.hasNextPage || log.isFetchNextPageError ? (
          <div className="flex flex-col items-center gap-2 border-t border-slate-200 p-3">
            {log.isFetchNextPageError ? <ErrorAlert>Could not load more: {log.error?.message}</ErrorAlert> : null}
            {log.hasNextPage ? <Button size="sm" busy={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>Load more</Button> : null}
          </div>
        ) : null}
      </div>
    </MonitorLayout>
  );
}
