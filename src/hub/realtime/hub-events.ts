import type { EventChannel } from '../../realtime/pg-event-bus.js';

/** The channel the inbox's triggers notify (migration 20261201000700). */
export const HUB_CHANNEL = 'wabase_hub_events';

export const HUB_EVENT_KINDS = ['thread.updated', 'message.created', 'message.status'] as const;
export type HubEventKind = (typeof HUB_EVENT_KINDS)[number];

/** One change, as the triggers send it: ids only, never content. */
export interface HubEvent {
  kind: HubEventKind;
  workspaceId: string;
  threadId?: string;
  messageId?: string;
  at: string;
}

/** The inbox's events, one topic per workspace. */
export const hubChannel: EventChannel<HubEvent> = {
  name: HUB_CHANNEL,
  parse(value) {
    if (typeof value.workspaceId !== 'string' || !HUB_EVENT_KINDS.includes(value.kind as HubEventKind)) return null;
    const event: HubEvent = {
      kind: value.kind as HubEventKind,
      workspaceId: value.workspaceId,
      ...(typeof value.threadId === 'string' ? { threadId: value.threadId } : {}),
      ...(typeof value.messageId === 'string' ? { messageId: value.messageId } : {}),
      at: typeof value.at === 'string' ? value.at : new Date().toISOString(),
    };
    return { topic: value.workspaceId, event };
  },
};
