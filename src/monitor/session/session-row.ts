import type pg from 'pg';

type Db = Pick<pg.ClientBase, 'query'>;

export type SessionStatus = 'connecting' | 'connected' | 'disconnected';

export interface SessionRow {
  status: SessionStatus;
  waNumber: string | null;
  waName: string | null;
  detail: Record<string, unknown>;
  lastStatusAt: Date;
  creds: Record<string, unknown>;
  keys: Record<string, unknown>;
}

/**
 * Every write goes through an upsert on the single-row index (`on conflict ((true))`), so
 * concurrent writers can never create a second wa_sessions row, and a deleted row comes back.
 */
const UPSERT = `
  insert into public.wa_sessions as s (status, wa_number, wa_name, detail, creds_json, keys_json, last_status_at)
  values ($1, $2, $3, coalesce($4::jsonb, '{}'), coalesce($5::jsonb, '{}'), coalesce($6::jsonb, '{}'), now())
  on conflict ((true)) do update set`;

/** The session row; a database without one reads as disconnected. */
export async function readSession(db: Db): Promise<SessionRow> {
  const { rows } = await db.query<SessionRow>(
    `select status, wa_number as "waNumber", wa_name as "waName", detail, last_status_at as "lastStatusAt",
            creds_json as creds, keys_json as keys
       from public.wa_sessions limit 1`,
  );
  return rows[0] ?? { status: 'disconnected', waNumber: null, waName: null, detail: {}, lastStatusAt: new Date(0), creds: {}, keys: {} };
}

/**
 * Sets the status (and `last_status_at` when it changes). `detail` replaces the stored one when
 * given; number and name are kept unless given.
 */
export async function writeStatus(
  db: Db,
  status: SessionStatus,
  fields: { detail?: Record<string, unknown>; waNumber?: string | null; waName?: string | null } = {},
): Promise<void> {
  await db.query(
    `${UPSERT}
       status = excluded.status,
       detail = case when $7 then excluded.detail else s.detail end,
       wa_number = case when $8 then excluded.wa_number else s.wa_number end,
       wa_name = case when $8 then excluded.wa_name else s.wa_name end,
       last_status_at = case when s.status is distinct from excluded.status then now() else s.last_status_at end`,
    [
      status,
      fields.waNumber ?? null,
      fields.waName ?? null,
      fields.detail === undefined ? null : JSON.stringify(fields.detail),
      null,
      null,
      fields.detail !== undefined,
      fields.waNumber !== undefined,
    ],
  );
}

/** Replaces the stored creds (already JSON with binary as base64). */
export async function saveCreds(db: Db, credsJson: string): Promise<void> {
  await db.query(`${UPSERT} creds_json = excluded.creds_json`, ['disconnected', null, null, null, credsJson, null]);
}

/** Merges changed signal keys into keys_json and drops the removed ones, in one statement. */
export async function patchKeys(db: Db, changedJson: string, removed: string[]): Promise<void> {
  await db.query(`${UPSERT} keys_json = (s.keys_json || excluded.keys_json) - $7::text[]`, [
    'disconnected', null, null, null, null, changedJson, removed,
  ]);
}

/** Forgets the login (logged out or asked to disconnect): creds, keys, QR, number and name. */
export async function clearAuth(db: Db): Promise<void> {
  await db.query(
    `${UPSERT} creds_json = '{}', keys_json = '{}', detail = '{}', wa_number = null, wa_name = null,
       status = 'disconnected', last_status_at = case when s.status = 'disconnected' then s.last_status_at else now() end`,
    ['disconnected', null, null, null, null, null],
  );
}
