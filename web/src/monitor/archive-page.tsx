import { useInfiniteQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useCallback, useMemo } from 'react';
import { ApiError } from '../api/errors';
import { NotAuthorized } from '../app/not-authorized';
import { Button } from '../ui/button';
import { ErrorAlert } from '../ui/error-alert';
import { EmptyState, ErrorState, Loading } from '../ui/states';
import { ArchiveFilters } from './archive-filters';
import { MessageCard } from './message-card';
import { MonitorLayout } from './monitor-nav';
import { useMonitorPoll } from './monitor-live';
import { archiveQuery, type ArchivedMessage } from './queries';
import { archiveFilter, type ArchiveSearch } from './search';

/**
 * `/monitor/messages`: the archive, newest first, filters in the URL (`?groupId=…&kind=image&q=…&date=…`).
 * New messages appear by themselves: the monitor's event stream re-reads the loaded pages.
 */
export function ArchivePage() {
  const search = useSearch({ from: '/app/monitor-live/monitor/messages' });
  const navigate = useNavigate({ from: '/monitor/messages' });
  const filter = useMemo(() => archiveFilter(search), [search]);
  const feed = useInfiniteQuery({ ...archiveQuery(filter), refetchInterval: useMonitorPoll() });
  const { refetch } = feed;
  const reread = useCallback(() => void refetch(), [refetch]);
  const onChange = (next: Partial<ArchiveSearch>) => void navigate({ search: (prev: ArchiveSearch) => ({ ...prev, ...next }), replace: true });

  const { shown, captions } = useMemo(() => {
    const items = feed.data?.pages.flatMap((p) => p.items) ?? [];
    const ids = new Set(items.map((m) => m.id));
    const byParent = new Map<string, ArchivedMessage[]>();
    for (const m of items) if (m.parentId && ids.has(m.parentId) && !m.media) byParent.set(m.parentId, [...(byParent.get(m.parentId) ?? []), m]);
    // A caption shows with its media; on its own only when its media is not on the page.
    return { shown: items.filter((m) => !(m.parentId && ids.has(m.parentId) && !m.media)), captions: byParent };
  }, [feed.data]);

  if (feed.error instanceof ApiError && feed.error.status === 403) return <NotAuthorized message={feed.error.message} />;
  return (
    <MonitorLayout title="Archive">
      <ArchiveFilters search={search} onChange={onChange} ready={feed.isSuccess || feed.isError} />
      <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
        {feed.isPending ? <Loading label="Loading messages…" /> : null}
        {feed.isError && !feed.data ? <ErrorState title="Could not load messages" message={feed.error.message} /> : null}
        {feed.data && shown.length === 0 ? (
          <EmptyState title="No messages">{search.q || search.kind || search.groupId || search.date ? 'Nothing matches these filters.' : 'Messages of monitored groups appear here as they arrive.'}</EmptyState>
        ) : null}
        {shown.length > 0 ? (
          <ol aria-label="Messages" className="divide-y divide-slate-100">
            {shown.map((m) => <MessageCard key={m.id} message={m} captions={captions.get(m.id) ?? []} refetch={reread} />)}
          </ol>
        ) : null}
        {feed.hasNextPage || (feed.isFetchNextPageError && feed.error) ? (
          <div className="flex flex-col items-center gap-2 border-t border-slate-200 p-3">
            {feed.isFetchNextPageError ? <ErrorAlert>Could not load older messages: {feed.error?.message}</ErrorAlert> : null}
            {feed.hasNextPage ? <Button size="sm" busy={feed.isFetchingNextPage} onClick={() => void feed.fetchNextPage()}>Load older</Button> : null}
          </div>
        ) : null}
      </div>
    </MonitorLayout>
  );
}
