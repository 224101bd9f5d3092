import { z } from 'zod';
import { id, integer, jsonObject, timestamp } from '../schemas.js';

export const workspaceSummary = z.object({
  id,
  slug: z.string(),
  name: z.string(),
  status: z.enum(['active', 'suspended']),
  createdAt: timestamp,
  balance: integer,
  enabledEntitlements: z.array(z.string()),
});

/** A workspace_entitlements row; `payload` is the entitlement's own JSON object. */
export const entitlement = z.object({
  workspaceId: id,
  key: z.string(),
  enabled: z.boolean(),
  payload: jsonObject,
  expiresAt: timestamp.nullable(),
  reason: z.string().nullable(),
  updatedBy: id.nullable(),
  updatedAt: timestamp,
});

/** An entitlement in the workspace detail, with the email of who last changed it (null when unknown). */
export const entitlementRow = entitlement.extend({ updatedByEmail: z.string().nullable() });

/** A workspace_token_ledger row: one grant or deduction and the balance after it. */
export const ledgerEntry = z.object({
  id,
  delta: integer,
  reason: z.string(),
  refType: z.string(),
  refId: z.string().nullable(),
  balanceAfter: integer,
  createdBy: id.nullable(),
  createdAt: timestamp,
});

/** An owner_audit_log row; `before`/`after` are the changed row as it was and became (null when absent). */
export const auditEntry = z.object({
  id,
  action: z.string(),
  actorUserId: id.nullable(),
  actorEmail: z.string().nullable(),
  targetTable: z.string().nullable(),
  targetId: z.string().nullable(),
  before: jsonObject.nullable(),
  after: jsonObject.nullable(),
  meta: jsonObject,
  createdAt: timestamp,
});

/** The cursor of the next (older) page of a history list; null when this page is the last. */
const nextBefore = z.string().nullable();

/** Everything the ops detail page shows; ledger and audit are their newest page, each with its cursor. */
export const workspaceDetailBody = z.object({
  workspace: workspaceSummary,
  entitlements: z.array(entitlementRow),
  ledger: z.array(ledgerEntry),
  ledgerNextBefore: nextBefore,
  audit: z.array(auditEntry),
  auditNextBefore: nextBefore,
});

/** An older page of the token ledger. */
export const ledgerPageBody = z.object({ items: z.array(ledgerEntry), nextBefore });

/** An older page of the audit log. */
export const auditPageBody = z.object({ items: z.array(auditEntry), nextBefore });

export const tokenChange = z.object({ applied: z.boolean(), balance: integer, ledgerId: id });
