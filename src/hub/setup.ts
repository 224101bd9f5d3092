import type { Pool } from '../db/pool.js';
import { AppError } from '../errors.js';
import { encryptSecret } from './crypto.js';

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

/**
 * `wabase connection add`: registers (or updates) a WhatsApp number of a workspace, its access
 * token encrypted with AES-256-GCM before it reaches the database.
 */
export async function addConnection(
  pool: Pool,
  key: Buffer,
  input: { workspace: string; phoneNumberId: string; token: string; wabaId?: string; displayPhoneNumber?: string; displayName?: string },
): Promise<{ id: string }> {
  const workspace = await pool.query<{ id: string }>('select id from public.workspaces where id::text = $1 or lower(slug) = lower($1)', [input.workspace]);
  if (!workspace.rows[0]) throw new AppError('workspace_not_found', `no workspace ${input.workspace}`, 404);
  const result = await pool.query<{ id: string; workspace_id: string }>(
    `insert into public.wa_phone_numbers (workspace_id, phone_number_id, waba_id, display_phone_number, display_name, access_token_enc, status)
     values ($1, $2, $3, $4, $5, $6, 'active')
     on conflict (phone_number_id) do update set waba_id = coalesce(excluded.waba_id, wa_phone_numbers.waba_id),
       display_phone_number = coalesce(excluded.display_phone_number, wa_phone_numbers.display_phone_number),
       display_name = coalesce(excluded.display_name, wa_phone_numbers.display_name),
       access_token_enc = excluded.access_token_enc, status = 'active', updated_at = now()
     where wa_phone_numbers.workspace_id = excluded.workspace_id
     returning id, workspace_id`,
    [workspace.rows[0].id, input.phoneNumberId, input.wabaId ?? null, input.displayPhoneNumber ?? null, input.displayName ?? null,
      encryptSecret(key, input.token)],
  );
  if (!result.rows[0]) throw new AppError('connection_taken', `phone_number_id ${input.phoneNumberId} belongs to another workspace`, 409);
  return { id: result.rows[0].id };
}
