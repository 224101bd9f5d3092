import { z } from 'zod';
import { viewFilters } from '../../hub/saved-views.js';
import { id, integer, timestamp } from '../schemas.js';
import { messageMedia } from './hub-media.js';

/** A wa_threads row as the inbox lists it, with its tags (sorted). */
export const thread = z.object({
  id,
  workspaceId: id,
  connectionId: id.nullable(),
  phoneNumberId: z.string(),
  contactWaId: z.string(),
  contactName: z.string().nullable(),
  status: z.enum(['open', 'pending', 'closed']),
  assignedTo: id.nullable(),
  unreadCount: integer,
  lastMessagePreview: z.string().nullable(),
  lastMessageAt: timestamp.nullable(),
  customerWindowExpiresAt: timestamp.nullable().describe('When the customer service window closes (last inbound message + 24 h); null: the customer never wrote'),
  customerWindowOpen: z.boolean().describe('Free-form messages may be sent now; otherwise only an approved template'),
  tags: z.array(z.string()),
});

/** A wa_messages row as a thread shows it. */
export const threadMessage = z.object({
  id,
  direction: z.enum(['in', 'out']),
  type: z.string(),
  text: z.string().nullable(),
  status: z.enum(['queued', 'sent', 'delivered', 'read', 'failed', 'received']),
  waMessageId: z.string().nullable(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  statusAt: timestamp.nullable(),
  createdAt: timestamp,
  /** Image, video, audio, document or sticker messages (issue 17); null for the others. */
  media: messageMedia.nullable(),
  replyTo: z.object({
    id: id.nullable().describe('null when the quoted message is not stored here'),
    waMessageId: z.string(),
    direction: z.enum(['in', 'out']).nullable(),
    text: z.string().nullable(),
    type: z.string().nullable(),
  }).nullable().describe('The message this one quotes (a reply\'s context)'),
  reactions: z.array(z.object({ direction: z.enum(['in', 'out']), emoji: z.string() })).describe('The customer\'s (in) and the business\'s (out) reaction'),
  pricingCategory: z.string().nullable().describe('pricing.category of Meta\'s status webhooks (the object is stored verbatim)'),
});

export const savedView = z.object({
  id,
  workspaceId: id,
  name: z.string(),
  filters: viewFilters,
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const queuedSend = z.object({ queued: z.literal(true), outboxId: id, messageId: id, duplicate: z.boolean() });

const tabs = <T extends z.ZodType>(value: T) => z.object({ open: value, pending: value, closed: value, all: value });
export const threadCounts = tabs(integer).extend({
  capped: tabs(z.boolean()).describe('True where counting stopped at 1,000 threads (show "1,000+"); `all` is true when any status is'),
});

const role = z.enum(['owner', 'admin', 'member', 'agent', 'viewer']);

/** A workspace the caller belongs to, with their role. */
export const myWorkspace = z.object({ id, slug: z.string(), name: z.string(), status: z.enum(['active', 'suspended']), role });

export const workspaceMember = z.object({ userId: id, email: z.string().nullable(), role });

/** A 409 of a send: `outside_customer_service_window` carries when the window closed. */
export const sendConflict = z.object({
  error: z.object({ code: z.string(), message: z.string(), expiresAt: timestamp.nullable().optional() }),
});

/** A message template as synced from the WABA. */
export const messageTemplate = z.object({
  id,
  wabaId: z.string(),
  name: z.string(),
  language: z.string(),
  category: z.string().nullable(),
  status: z.string(),
  components: z.array(z.object({
    type: z.string(),
    format: z.string().optional(),
    text: z.string().optional(),
    buttons: z.array(z.object({ type: z.string(), text: z.string().optional(), url: z.string().optional(), phone_number: z.string().optional() })).optional(),
  })),
  quality: z.string().nullable(),
  reason: z.string().nullable(),
  syncedAt: timestamp.nullable(),
  updatedAt: timestamp,
});

export const hubSettings = z.object({ workspaceId: id, readReceipts: z.boolean(), updatedAt: timestamp.nullable() });
