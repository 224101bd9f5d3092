import { infiniteQueryOptions, keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import type { ActivitySearch, ArchiveSearch, GroupsSearch } from './search';
import type { QueryData } from '../api/query-data';

/**
 * Query keys of the monitor, one factory. Live updates poll (see README): each query says how
 * often it re-reads while its page is open.
 */
export const monitorKeys = {
  all: ['monitor'] as const,
  status: () => [...monitorKeys.all, 'status'] as const,
  qr: () => [...monitorKeys.all, 'qr'] as const,
  groupLists: () => [...monitorKeys.all, 'groups'] as const,
  groups: (search: GroupsSearch) => [...monitorKeys.groupLists(), search] as const,
  renames: (groupId: string) => [...monitorKeys.all, 'renames', groupId] as const,
  archive: (search: ArchiveSearch) => [...monitorKeys.all, 'messages', search] as const,
  blocklist: (kind: BlocklistKind) => [...monitorKeys.all, 'blocklist', kind] as const,
  activity: (search: ActivitySearch) => [...monitorKeys.all, 'activity', search] as const,
  recent: (kind: string, limit: number) => [...monitorKeys.all, 'recent', kind, limit] as const,
};

export type BlocklistKind = 'groups' | 'senders' | 'keywords';
export const GROUP_PAGE = 25;
export const ARCHIVE_PAGE = 50;
export const ACTIVITY_PAGE = 50;
/** How often the live parts re-read. */
// The archive re-reads its first page every 400 ms while the tab is visible (a page is ~3 ms of server time),
// so a new message shows within half a second; hidden tabs do not poll (TanStack's default).
export const POLL = { status: 2000, qr: 1000, archive: 400, groups: 5000, activity: 3000 } as const;

export const statusQuery = () =>
  queryOptions({ queryKey: monitorKeys.status(), queryFn: () => unwrap(api.GET('/api/monitor/status')), refetchInterval: POLL.status });

export const qrQuery = () =>
  queryOptions({ queryKey: monitorKeys.qr(), queryFn: () => unwrap(api.GET('/api/monitor/qr')), refetchInterval: POLL.qr, gcTime: 0 });

export function groupsQuery(search: GroupsSearch) {
  const filter = search.filter === 'monitored' ? { monitor: 'true' as const } : search.filter === 'unmonitored' ? { monitor: 'false' as const }
    : search.filter === 'blocked' ? { blocked: 'true' as const } : {};
  return queryOptions({
    queryKey: monitorKeys.groups(search),
    queryFn: () => unwrap(api.GET('/api/monitor/groups', {
      params: { query: { ...filter, ...(search.q ? { q: search.q } : {}), limit: GROUP_PAGE, offset: ((search.page ?? 1) - 1) * GROUP_PAGE } },
    })),
    placeholderData: keepPreviousData,
    refetchInterval: POLL.groups,
  });
}

export const renamesQuery = (groupId: string) =>
  queryOptions({ queryKey: monitorKeys.renames(groupId), queryFn: () => unwrap(api.GET('/api/monitor/groups/{id}/renames', { params: { path: { id: groupId } } })) });

export function archiveQuery(search: ArchiveSearch) {
  return infiniteQueryOptions({
    queryKey: monitorKeys.archive(search),
    queryFn: ({ pageParam }) => unwrap(api.GET('/api/messages', {
      params: {
        query: {
          ...(search.groupId ? { groupId: search.groupId } : {}),
          ...(search.kind ? { kind: search.kind } : {}),
          ...(search.q ? { q: search.q } : {}),
          limit: ARCHIVE_PAGE,
          ...(pageParam ? { before: pageParam } : search.before ? { before: search.before } : {}),
        },
      },
    })),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextBefore ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export const blocklistQuery = (kind: BlocklistKind) =>
  queryOptions({ queryKey: monitorKeys.blocklist(kind), queryFn: () => unwrap(api.GET(`/api/monitor/blocklists/${kind}`)) });

export function activityQuery(search: ActivitySearch) {
  return infiniteQueryOptions({
    queryKey: monitorKeys.activity(search),
    queryFn: ({ pageParam }) => unwrap(api.GET('/api/monitor/activity', {
      params: { query: { ...(search.kind ? { kind: search.kind } : {}), limit: ACTIVITY_PAGE, ...(pageParam ? { before: pageParam } : {}) } },
    })),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextBefore ?? undefined,
    refetchInterval: POLL.activity,
  });
}

/** The newest `limit` rows of one kind (one page, no paging). */
export const recentActivityQuery = (kind: NonNullable<ActivitySearch['kind']>, limit: number) =>
  queryOptions({
    queryKey: monitorKeys.recent(kind, limit),
    queryFn: () => unwrap(api.GET('/api/monitor/activity', { params: { query: { kind, limit } } })),
    refetchInterval: POLL.activity,
  });

export type MonitorStatus = QueryData<typeof statusQuery>;
export type MonitorGroup = QueryData<typeof groupsQuery>['items'][number];
export type GroupsPage = QueryData<typeof groupsQuery>;
export type ArchivedMessage = QueryData<typeof archiveQuery>['items'][number];
export type BlockedEntry = QueryData<typeof blocklistQuery>['items'][number];
export type ActivityEntry = QueryData<typeof activityQuery>['items'][number];
