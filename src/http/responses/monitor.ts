import { z } from 'zod';
import { FLAGS } from '../../monitor/flags.js';
import { id, integer, jsonObject, timestamp } from '../schemas.js';

/** messages.kind (seed 001). */
export const messageKind = z.enum(['text', 'image', 'video', 'audio', 'doc', 'other']);
/** audit_log.kind (seed 001). */
export const auditKind = z.enum(['connect', 'disconnect', 'reconnect', 'qr_generated', 'discovery', 'group_rename', 'ingest', 'error']);
const sessionStatus = z.enum(['connected', 'connecting', 'disconnected']);
const flagKey = z.enum([FLAGS.fetchGroups, FLAGS.refreshQr, FLAGS.disconnect]);

/** An archived media item with its signed URL (null when the store could not sign one). */
const media = z.object({
  id,
  sha256: z.string(),
  mime: z.string(),
  bytes: integer,
  width: integer.nullable(),
  height: integer.nullable(),
  durationS: z.number().nullable(),
  /** A document's file name as the sender gave it. */
  fileName: z.string().nullable(),
  url: z.string().nullable(),
  expiresAt: timestamp,
});

export const archivedMessage = z.object({
  id,
  waMsgId: z.string(),
  ts: timestamp,
  chatId: z.string(),
  groupId: id.nullable(),
  groupName: z.string().nullable(),
  /** As WhatsApp sent it: a phone jid or an `@lid`. */
  sender: z.string(),
  /** The sender's phone jid when known (from the message key, the lid mapping or group metadata). */
  senderPn: z.string().nullable(),
  /** The name the sender gave WhatsApp (pushName), when it came with the message. */
  senderName: z.string().nullable(),
  kind: messageKind,
  text: z.string().nullable(),
  parentId: id.nullable(),
  media: media.nullable(),
});

export const group = z.object({
  id,
  waGroupId: z.string(),
  name: z.string(),
  monitor: z.boolean(),
  lastSeenTs: timestamp.nullable(),
  createdAt: timestamp,
  blocked: z.boolean(),
  messageCount: integer,
  lastMessageAt: timestamp.nullable(),
});

export const groupRename = z.object({ at: timestamp, from: z.string().nullable(), to: z.string().nullable() });

/** An audit_log row; `detail` is what the writer recorded (free-form JSON object). */
export const activityEntry = z.object({ id, kind: auditKind, at: timestamp, detail: jsonObject });

export const flagAnswer = z.object({ key: flagKey, at: timestamp });

export const monitorStatusBody = z.object({
  status: sessionStatus,
  waNumber: z.string().nullable(),
  waName: z.string().nullable(),
  lastStatusAt: timestamp,
  qrAvailable: z.boolean(),
  pendingFlags: z.array(flagKey),
  groups: z.object({ total: integer, monitored: integer }),
  /** The caller may link, disconnect, toggle and block (owner, ops, platform admin); a viewer may not. */
  canManage: z.boolean(),
});

export const monitorQrBody = z.object({ status: sessionStatus, qr: z.string().nullable(), expiresAt: timestamp.nullable() });
