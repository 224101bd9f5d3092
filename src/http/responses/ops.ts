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

/** Everything the ops detail page shows. */
export const workspaceDetailBody = z.object({
  workspace: workspaceSummary,
  entitlements: z.array(entitlementRow),
  ledger: z.array(ledgerEntry),
  audit: z.array(auditEntry),
});

export const tokenChange = z.object({ applied: z.boolean(), balance: integer, ledgerId: id });
