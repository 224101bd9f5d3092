import type pg from 'pg';
import type { Pool } from '../db/pool.js';
import { AppError, ConflictError } from '../errors.js';
import { encryptSecret } from './crypto.js';

type Queryable = Pick<pg.ClientBase, 'query'>;

/** `wabase workspace add`: creates (or finds) a workspace by slug, optionally with an owner member. */
export async function addWorkspace(pool: Pool, input: { slug: string; name: string; ownerEmail?: string }): Promise<{ id: string; created: boolean }> {
  const existing = await pool.query<{ id: string }>('select id from public.workspaces where lower(slug) = lower($1)', [input.slug]);
  const id = existing.rows[0]?.id ??
    (await pool.query<{ id: string }>('insert into public.workspaces (slug, name) values ($1, $2) returning id', [input.slug, input.name])).rows[0]!.id;
  if (input.ownerEmail) {
    const user = await pool.query<{ id: string }>('select id from auth.users where lower(email) = lower($1)', [input.ownerEmail]);
    if (!user.rows[0]) throw new AppError('user_not_found', `no user with email ${input.ownerEmail}; create one with wabase auth token --create`, 404);
    await pool.query(
      `insert into public.workspace_memberships (workspace_id, user_id, role) values ($1, $2, 'owner')
       on conflict (workspace_id, user_id) do update set role = 'owner'`,
      [id, user.rows[0].id],
    );
  }
  return { id, created: !existing.rows[0] };
}

export interface ConnectionInput {
  workspaceId: string;
  phoneNumberId: string;
  token: string;
  wabaId?: string | null;
  displayPhoneNumber?: string | null;
  displayName?: string | null;
}

/** What a number's id and token look like (the CLI and the connections API check the same). */
export const PHONE_NUMBER_ID = /^\d{5,32}$/;
export const ACCESS_TOKEN = /^\S{10,4096}$/;

/**
 * Stores a WhatsApp number of a workspace, its access token encrypted with AES-256-GCM before it
 * reaches the database. A number of another workspace is 409 phone_number_taken (phone_number_id
 * is unique across workspaces); one this workspace has already is updated (`update`: new token,
 * active again; what was not given is kept) or refused (`refuse`: 409 connection_exists).
 */
export async function saveConnection(
  db: Queryable,
  key: Buffer,
  input: ConnectionInput,
  existing: 'update' | 'refuse',
): Promise<{ id: string; created: boolean }> {
  const onConflict = existing === 'update'
    ? `do update set waba_id = coalesce(excluded.waba_id, wa_phone_numbers.waba_id),
       display_phone_number = coalesce(excluded.display_phone_number, wa_phone_numbers.display_phone_number),
       display_name = coalesce(excluded.display_name, wa_phone_numbers.display_name),
       access_token_enc = excluded.access_token_enc, status = 'active', updated_at = now()
     where wa_phone_numbers.workspace_id = excluded.workspace_id`
    : 'do nothing';
  const result = await db.query<{ id: string; created: boolean }>(
    `insert into public.wa_phone_numbers (workspace_id, phone_number_id, waba_id, display_phone_number, display_name, access_token_enc, status)
     values ($1, $2, $3, $4, $5, $6, 'active')
     on conflict (phone_number_id) ${onConflict}
     returning id, xmax = 0 as created`,
    [input.workspaceId, input.phoneNumberId, input.wabaId ?? null, input.displayPhoneNumber ?? null, input.displayName ?? null,
      encryptSecret(key, input.token)],
  );
  if (result.rows[0]) return result.rows[0];
  const owner = await db.query<{ workspace_id: string }>('select workspace_id from public.wa_phone_numbers where phone_number_id = $1', [input.phoneNumberId]);
  if (owner.rows[0]?.workspace_id === input.workspaceId) {
    throw new ConflictError('connection_exists', `phoneNumberId ${input.phoneNumberId} is already connected to this workspace: activate it or replace its token instead`);
  }
  throw new ConflictError('phone_number_taken', `phoneNumberId ${input.phoneNumberId} belongs to another workspace`);
}

/** `wabase connection add`: registers (or updates) a WhatsApp number of a workspace given by id or slug. */
export async function addConnection(
  pool: Pool,
  key: Buffer,
  input: { workspace: string; phoneNumberId: string; token: string; wabaId?: string; displayPhoneNumber?: string; displayName?: string },
): Promise<{ id: string }> {
  const workspace = await pool.query<{ id: string }>('select id from public.workspaces where id::text = $1 or lower(slug) = lower($1)', [input.workspace]);
  if (!workspace.rows[0]) throw new AppError('workspace_not_found', `no workspace ${input.workspace}`, 404);
  const { workspace: _slug, ...connection } = input;
  const { id } = await saveConnection(pool, key, { ...connection, workspaceId: workspace.rows[0].id }, 'update');
  return { id };
}
