import type { QueryKey } from '@tanstack/react-query';
import { api } from '../api/client';
import { type LiveState, useLiveStream } from '../live/use-live-stream';
import { inboxKeys } from './queries';

/**
 * The inbox's realtime stream (`GET /api/meta/whatsapp/events`): any event re-reads the thread
 * lists, counts and tags; one naming a thread also re-reads that thread and its messages.
 */
export function useHubEvents(workspaceId: string): LiveState {
  return useLiveStream({
    key: workspaceId,
    open: (signal) => api.GET('/api/meta/whatsapp/events', { params: { query: { workspaceId } }, parseAs: 'stream', signal }),
    scope: inboxKeys.workspace(workspaceId),
    affects: (_event, body) => {
      const keys: QueryKey[] = [inboxKeys.threadLists(workspaceId), [...inboxKeys.workspace(workspaceId), 'counts'], inboxKeys.tags(workspaceId)];
      if (typeof body.threadId === 'string') keys.push(inboxKeys.thread(workspaceId, body.threadId), inboxKeys.messages(workspaceId, body.threadId));
      return keys;
    },
  });
}
