import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import { opsKeys, type WorkspaceDetail } from './queries';

type Kind = 'ledger' | 'audit';
type Row<K extends Kind> = WorkspaceDetail[K][number];
interface Page<T> { items: T[]; nextBefore: string | null }

function fetchPage<K extends Kind>(workspaceId: string, kind: K, before: string): Promise<Page<Row<K>>> {
  const params = { path: { id: workspaceId }, query: { before } };
  const request = kind === 'ledger'
    ? unwrap(api.GET('/api/ops/workspaces/{id}/ledger', { params }))
    : unwrap(api.GET('/api/ops/workspaces/{id}/audit', { params }));
  return request as Promise<Page<Row<K>>>;
}

export interface History<T> {
  /** The detail's first page followed by every older page loaded so far. */
  rows: T[];
  canLoadMore: boolean;
  loadMore: () => void;
  loading: boolean;
  error: Error | null;
}

/**
 * A ledger or audit list of the detail page with "Load more": the first page is the detail's own,
 * older pages are read on demand from its cursor. Rows never change once written, so the pages
 * after a given cursor are always the same rows; when the detail is read again and its cursor
 * moves (a new grant), the older pages start again from the new one: nothing shown twice or skipped.
 */
export function useHistory<K extends Kind>(workspaceId: string, kind: K, first: Row<K>[], after: string | null): History<Row<K>> {
  const [wanted, setWanted] = useState(false);
  const older = useInfiniteQuery({
    queryKey: opsKeys.history(workspaceId, kind, after ?? ''),
    queryFn: ({ pageParam }) => fetchPage(workspaceId, kind, pageParam),
    initialPageParam: after ?? '',
    getNextPageParam: (last) => last.nextBefore ?? undefined,
    enabled: wanted && after !== null,
  });
  const loaded = wanted && older.data !== undefined;
  return {
    rows: loaded ? [...first, ...older.data.pages.flatMap((page) => page.items)] : first,
    canLoadMore: after !== null && (loaded ? older.hasNextPage : true),
    loadMore: () => {
      if (!wanted) setWanted(true);
      else if (!loaded) void older.refetch();
      else void older.fetchNextPage();
    },
    loading: older.isFetching,
    error: older.error,
  };
}
