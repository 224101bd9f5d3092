import type { QueryKey } from '@tanstack/react-query';
import { api } from '../api/client';
import { type LiveState, useLiveStream } from '../live/use-live-stream';
import { monitorKeys } from './queries';

/** What each monitor event makes stale (the stream says what changed, never how). */
function affects(event: string, body: Record<string, unknown>): QueryKey[] {
  switch (event) {
    case 'session.updated':
    case 'qr.updated':
      // The QR dialog closes itself when its query reads "connected".
      return [monitorKeys.status(), monitorKeys.qr()];
    case 'groups.discovered':
    case 'groups.updated':
      // The session page counts monitored groups; the archive's filter lists their names.
      return [monitorKeys.groupLists(), monitorKeys.groupChoices(), monitorKeys.status()];
    case 'message.archived':
      // The groups page shows message counts and last message times.
      return [monitorKeys.archives(), monitorKeys.groupLists()];
    case 'blocklist.updated': {
      const list = body.list === 'groups' || body.list === 'senders' || body.list === 'keywords' ? body.list : null;
      // The groups page's "blocked" filter reads block_groups.
      return [list ? monitorKeys.blocklist(list) : monitorKeys.blocklists(), ...(list === 'senders' || list === 'keywords' ? [] : [monitorKeys.groupLists()])];
    }
    case 'activity.created':
      // Rename histories are group_rename rows of the audit log.
      return [monitorKeys.activities(), monitorKeys.recents(), monitorKeys.allRenames()];
    default:
      return [monitorKeys.all];
  }
}

/** The monitor's realtime stream (`GET /api/monitor/events`), shared by its five pages. */
export function useMonitorEvents(): LiveState {
  return useLiveStream({
    key: 'monitor',
    open: (signal) => api.GET('/api/monitor/events', { parseAs: 'stream', signal }),
    scope: monitorKeys.all,
    affects,
  });
}
