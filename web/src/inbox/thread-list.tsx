import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import { Button } from '../ui/button';
import { EmptyState, ErrorState, Loading } from '../ui/states';
import { usePollInterval } from '../live/live-context';
import { membersQuery, threadsQuery } from './queries';
import type { InboxFilters } from './search';
import { ThreadRow } from './thread-row';

interface ThreadListProps {
  workspaceId: string;
  filters: InboxFilters;
  selectedId: string | undefined;
  connectionLabel(thread: { connectionId: string | null; phoneNumberId: string }): string;
  /** The ids in the order shown, for j/k. */
  onOrder(ids: string[]): void;
}

/** Newest activity first; more pages load as the end scrolls into view (or with the button). */
export function ThreadList({ workspaceId, filters, selectedId, connectionLabel, onOrder }: ThreadListProps) {
  const list = useInfiniteQuery({ ...threadsQuery(workspaceId, filters), refetchInterval: usePollInterval() });
  const members = useQuery(membersQuery(workspaceId));
  const byId = useMemo(() => new Map((members.data?.members ?? []).map((m) => [m.userId, m])), [members.data]);
  const threads = useMemo(() => list.data?.pages.flatMap((page) => page.threads) ?? [], [list.data]);
  const end = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;

  useEffect(() => {
    onOrder(threads.map((t) => t.id));
  }, [threads, onOrder]);
  useEffect(() => {
    const target = end.current;
    if (!target || !hasNextPage) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
    }, { rootMargin: '200px' });
    observer.observe(target);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  if (list.isPending) return <Loading label="Loading conversations…" />;
  if (list.isError && !list.data) return <ErrorState title="Could not load conversations" message={list.error.message} />;
  if (threads.length === 0) {
    const filtered = Object.keys(filters).length > 0;
    return <EmptyState title={filtered ? 'No conversation matches these filters' : 'No conversations yet'}>{filtered ? 'Clear a filter to see more.' : 'Messages to your WhatsApp numbers appear here.'}</EmptyState>;
  }
  return (
    <div>
      <ul aria-label="Conversations" className="divide-y divide-slate-100">
        {threads.map((thread) => (
          <li key={thread.id}>
            <ThreadRow thread={thread} selected={thread.id === selectedId} members={byId} connectionLabel={connectionLabel(thread)} />
          </li>
        ))}
      </ul>
      <div ref={end} className="p-3 text-center">
        {hasNextPage ? <Button size="sm" variant="ghost" busy={isFetchingNextPage} onClick={() => void fetchNextPage()}>Load more</Button> : null}
      </div>
    </div>
  );
}
