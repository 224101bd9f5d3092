import type { EventChannel } from '../../realtime/pg-event-bus.js';

/** The channel the monitor's triggers notify (migration 20261202140000). */
export const MONITOR_CHANNEL = 'wabase_monitor_events';

export const MONITOR_EVENT_KINDS = [
  'session.updated', 'qr.updated', 'groups.discovered', 'groups.updated', 'message.archived', 'blocklist.updated', 'activity.created',
] as const;
export type MonitorEventKind = (typeof MONITOR_EVENT_KINDS)[number];

const LISTS = ['groups', 'senders', 'keywords'] as const;

/** One change, as the triggers send it: its kind only (and which blocklist), never content. */
export interface MonitorEvent {
  kind: MonitorEventKind;
  list?: (typeof LISTS)[number];
  at: string;
}

/** Kinds only those who may link a phone receive: a viewer must not learn of QRs at all. */
export const MANAGER_ONLY_KINDS: ReadonlySet<MonitorEventKind> = new Set(['qr.updated']);

/** The monitor has one session and one archive per deployment: one topic. */
export const MONITOR_TOPIC = 'monitor';

export const monitorChannel: EventChannel<MonitorEvent> = {
  name: MONITOR_CHANNEL,
  parse(value) {
    if (!MONITOR_EVENT_KINDS.includes(value.kind as MonitorEventKind)) return null;
    const list = LISTS.find((name) => name === value.list);
    const event: MonitorEvent = {
      kind: value.kind as MonitorEventKind,
      ...(list ? { list } : {}),
      at: typeof value.at === 'string' ? value.at : new Date().toISOString(),
    };
    return { topic: MONITOR_TOPIC, event };
  },
};
