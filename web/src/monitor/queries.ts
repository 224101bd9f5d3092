import { infiniteQueryOptions, keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import type { ActivitySearch, ArchiveSearch, GroupsSearch } from './search';
import type { QueryData } from '../api/query-data';

/**
 * Query keys of the monitor, one factory. Live updates come from the monitor's event stream
 * (use-monitor-events.ts), which invalidates these; pages poll only while it is down.
 */
export const monitorKeys = {
  all: ['monitor'] as const,
  status: () => [...monitorKeys.all, 'status'] as const,
  qr: () => [...monitorKeys.all, 'qr'] as const,
  groupLists: () => [...monitorKeys.all, 'groups'] as const,
  groups: (search: GroupsSearch) => [...monitorKeys.groupLists(), search] as const,
  /** The archive's group filter: names only, so new messages (counts) leave it alone. */
  groupChoices: () => [...monitorKeys.all, 'group-choices'] as const,
  allRenames: () => [...monitorKeys.all, 'renames'] as const,
  renames: (groupId: string) => [...monitorKeys.allRenames(), groupId] as const,
  archives: () => [...monitorKeys.all, 'messages'] as const,
  archive: (search: ArchiveSearch) => [...monitorKeys.archives(), search] as const,
  blocklists: () => [...monitorKeys.all, 'blocklist'] as const,
  blocklist: (kind: BlocklistKind) => [...monitorKeys.blocklists(), kind] as const,
  activities: () => [...monitorKeys.all, 'activity'] as const,
  activity: (search: ActivitySearch) => [...monitorKeys.activities(), search] as const,
  recents: () => [...monitorKeys.all, 'recent'] as const,
  recent: (kind: string, limit: number) => [...monitorKeys.recents(), kind, limit] as const,
};

export type BlocklistKind = 'groups' | 'senders' | 'keywords';
export const GROUP_PAGE = 25;
export const ARCHIVE_PAGE = 50;
export const ACTIVITY_PAGE = 50;
/**
 * The safety poll while the event stream is down (reconnecting): slow, since the reconnect re-reads
 * everything anyway. While events arrive nothing polls; while the server cannot LISTEN, pages
 * re-read at the interval the stream's `ready` gives (3 s).
 */
export const SAFETY_POLL_MS = 15_000;

export const statusQuery = () =>
  queryOptions({ queryKey: monitorKeys.status(), queryFn: () => unwrap(api.GET('/api/monitor/status')) });

export const qrQuery = () =>
  queryOptions({ queryKey: monitorKeys.qr(), queryFn: () => unwrap(api.GET('/api/monitor/qr')), gcTime: 0 });

export function groupsQuery(search: GroupsSearch) {
  const filter = search.filter === 'monitored' ? { monitor: 'true' as const } : search.filter === 'unmonitored' ? { monitor: 'false' as const }
    : search.filter === 'blocked' ? { blocked: 'true' as const } : {};
  return queryOptions({
    queryKey: monitorKeys.groups(search),
    queryFn: () => unwrap(api.GET('/api/monitor/groups', {
      params: { query: { ...filter, ...(search.q ? { q: search.q } : {}), limit: GROUP_PAGE, offset: ((search.page ?? 1) - 1) * GROUP_PAGE } },
    })),
    placeholderData: keepPreviousData,
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
  });
}

/** The newest `limit` rows of one kind (one page, no paging). */
export const recentActivityQuery = (kind: NonNullable<ActivitySearch['kind']>, limit: number) =>
  queryOptions({
    queryKey: monitorKeys.recent(kind, limit),
    queryFn: () => unwrap(api.GET('/api/monitor/activity', { params: { query: { kind, limit } } })),
  });

export type MonitorStatus = QueryData<typeof statusQuery>;
export type MonitorGroup = QueryData<typeof groupsQuery>['items'][number];
export type GroupsPage = QueryData<typeof groupsQuery>;
export type ArchivedMessage = QueryData<typeof archiveQuery>['items'][number];
export type BlockedEntry = QueryData<typeof blocklistQuery>['items'][number];
export type ActivityEntry = QueryData<typeof activityQuery>['items'][number];
