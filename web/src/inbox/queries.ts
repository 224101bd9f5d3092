import { infiniteQueryOptions, keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import type { InboxFilters } from './search';
import type { QueryData } from '../api/query-data';

/** Query keys of the inbox, one factory so realtime events invalidate exactly what pages read. */
export const inboxKeys = {
  all: ['inbox'] as const,
  workspaces: () => [...inboxKeys.all, 'workspaces'] as const,
  workspace: (workspaceId: string) => [...inboxKeys.all, 'ws', workspaceId] as const,
  threadLists: (workspaceId: string) => [...inboxKeys.workspace(workspaceId), 'threads'] as const,
  threads: (workspaceId: string, filters: InboxFilters) => [...inboxKeys.threadLists(workspaceId), filters] as const,
  counts: (workspaceId: string, filters: Omit<InboxFilters, 'status'>) => [...inboxKeys.workspace(workspaceId), 'counts', filters] as const,
  thread: (workspaceId: string, threadId: string) => [...inboxKeys.workspace(workspaceId), 'thread', threadId] as const,
  messages: (workspaceId: string, threadId: string) => [...inboxKeys.workspace(workspaceId), 'messages', threadId] as const,
  tags: (workspaceId: string) => [...inboxKeys.workspace(workspaceId), 'tags'] as const,
  members: (workspaceId: string) => [...inboxKeys.workspace(workspaceId), 'members'] as const,
  views: (workspaceId: string) => [...inboxKeys.workspace(workspaceId), 'views'] as const,
  templates: (workspaceId: string, threadId: string) => [...inboxKeys.workspace(workspaceId), 'templates', threadId] as const,
};

export const THREAD_PAGE = 30;
export const MESSAGE_PAGE = 50;

export const myWorkspacesQuery = () =>
  queryOptions({ queryKey: inboxKeys.workspaces(), queryFn: () => unwrap(api.GET('/api/workspaces')), staleTime: 60_000 });

export function threadsQuery(workspaceId: string, filters: InboxFilters) {
  return infiniteQueryOptions({
    queryKey: inboxKeys.threads(workspaceId, filters),
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/meta/whatsapp/threads', {
        params: { query: { workspaceId, ...filters, limit: THREAD_PAGE, ...(pageParam ? { cursor: pageParam } : {}) } },
      })),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function countsQuery(workspaceId: string, { assignee, tag, q }: InboxFilters) {
  const filters = { ...(assignee ? { assignee } : {}), ...(tag ? { tag } : {}), ...(q ? { q } : {}) };
  return queryOptions({
    queryKey: inboxKeys.counts(workspaceId, filters),
    queryFn: () => unwrap(api.GET('/api/meta/whatsapp/threads/counts', { params: { query: { workspaceId, ...filters } } })),
    placeholderData: keepPreviousData,
  });
}

export const threadQuery = (workspaceId: string, threadId: string) =>
  queryOptions({
    queryKey: inboxKeys.thread(workspaceId, threadId),
    queryFn: () => unwrap(api.GET('/api/meta/whatsapp/threads/{id}', { params: { path: { id: threadId } } })),
  });

/** Pages newest first (the API's order); the pane shows them oldest to newest. */
export function messagesQuery(workspaceId: string, threadId: string) {
  return infiniteQueryOptions({
    queryKey: inboxKeys.messages(workspaceId, threadId),
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/meta/whatsapp/threads/{id}/messages', {
        params: { path: { id: threadId }, query: { limit: MESSAGE_PAGE, ...(pageParam ? { before: pageParam } : {}) } },
      })),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextBefore ?? undefined,
  });
}

export const tagsQuery = (workspaceId: string) =>
  queryOptions({ queryKey: inboxKeys.tags(workspaceId), queryFn: () => unwrap(api.GET('/api/meta/whatsapp/tags', { params: { query: { workspaceId } } })) });

export const membersQuery = (workspaceId: string) =>
  queryOptions({
    queryKey: inboxKeys.members(workspaceId),
    queryFn: () => unwrap(api.GET('/api/workspaces/{id}/members', { params: { path: { id: workspaceId } } })),
    staleTime: 60_000,
  });

export const viewsQuery = (workspaceId: string) =>
  queryOptions({ queryKey: inboxKeys.views(workspaceId), queryFn: () => unwrap(api.GET('/api/meta/whatsapp/saved-views', { params: { query: { workspaceId } } })) });

/** The APPROVED templates of the thread's WABA: what the reply box may send outside the window. */
export const approvedTemplatesQuery = (workspaceId: string, threadId: string) =>
  queryOptions({
    queryKey: inboxKeys.templates(workspaceId, threadId),
    queryFn: () => unwrap(api.GET('/api/meta/whatsapp/templates', { params: { query: { workspaceId, threadId, status: 'APPROVED' } } })),
    staleTime: 60_000,
  });

export type Thread = QueryData<typeof threadQuery>;
export type ThreadMessage = QueryData<typeof messagesQuery>['messages'][number];
export type SavedView = QueryData<typeof viewsQuery>['views'][number];
export type Member = QueryData<typeof membersQuery>['members'][number];
