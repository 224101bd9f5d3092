import { createHash } from 'node:crypto';
import type pg from 'pg';

type Db = Pick<pg.ClientBase, 'query'>;

/** An auth.users row, with the columns wabase's auth reads (GoTrue's names). */
export interface UserRow {
  id: string;
  email: string | null;
  aud: string | null;
  role: string | null;
  encrypted_password: string | null;
  email_confirmed_at: Date | null;
  last_sign_in_at: Date | null;
  raw_app_meta_data: Record<string, unknown> | null;
  raw_user_meta_data: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `id, email, aud, role, encrypted_password, email_confirmed_at, last_sign_in_at,
  raw_app_meta_data, raw_user_meta_data, created_at, updated_at`;

/** GoTrue's instance id for single-tenant projects; Supabase Auth looks users up with it. */
const INSTANCE_ID = '00000000-0000-0000-0000-000000000000';

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | null> {
  const { rows } = await db.query<UserRow>(`select ${COLUMNS} from auth.users where lower(email) = lower($1) limit 1`, [email]);
  return rows[0] ?? null;
}

export async function findUserById(db: Db, id: string): Promise<UserRow | null> {
  const { rows } = await db.query<UserRow>(`select ${COLUMNS} from auth.users where id = $1`, [id]);
  return rows[0] ?? null;
}

/**
 * Finds the user with this email or creates one as GoTrue would (aud/role `authenticated`, email
 * provider, lower-cased email). `confirmed` also confirms the email; `passwordHash` sets the password.
 */
export async function upsertUser(
  db: Db,
  email: string,
  options: { passwordHash?: string; confirmed?: boolean; provider?: string } = {},
): Promise<{ user: UserRow; created: boolean }> {
  const provider = options.provider ?? 'email';
  const existing = await db.query<UserRow>(`select ${COLUMNS} from auth.users where lower(email) = lower($1) limit 1 for update`, [email]);
  if (existing.rows[0]) {
    const { rows } = await db.query<UserRow>(
      `update auth.users set
         encrypted_password = coalesce($2, encrypted_password),
         email_confirmed_at = case when $3 then coalesce(email_confirmed_at, now()) else email_confirmed_at end,
         aud = coalesce(aud, 'authenticated'),
         role = coalesce(role, 'authenticated'),
         updated_at = now()
       where id = $1 returning ${COLUMNS}`,
      [existing.rows[0].id, options.passwordHash ?? null, options.confirmed ?? false],
    );
    return { user: rows[0]!, created: false };
  }
  const { rows } = await db.query<UserRow>(
    `insert into auth.users (id, instance_id, aud, role, email, encrypted_password, email_confirmed_at, raw_app_meta_data, raw_user_meta_data)
     values (gen_random_uuid(), $1, 'authenticated', 'authenticated', lower($2), $3, case when $4 then now() end,
             jsonb_build_object('provider', $5::text, 'providers', jsonb_build_array($5::text)), '{}'::jsonb)
     returning ${COLUMNS}`,
    [INSTANCE_ID, email, options.passwordHash ?? null, options.confirmed ?? false, provider],
  );
  return { user: rows[0]!, created: true };
}

export async function setPasswordHash(db: Db, userId: string, hash: string): Promise<void> {
  await db.query('update auth.users set encrypted_password = $2, updated_at = now() where id = $1', [userId, hash]);
}

/** Records a sign-in: last_sign_in_at, and the provider in app_metadata (GoTrue's provider/providers). */
export async function recordSignIn(db: Db, userId: string, provider: string): Promise<UserRow> {
  const { rows } = await db.query<UserRow>(
    `update auth.users set
       last_sign_in_at = now(),
       raw_app_meta_data = coalesce(raw_app_meta_data, '{}'::jsonb)
         || jsonb_build_object('provider', coalesce(raw_app_meta_data ->> 'provider', $2::text))
         || jsonb_build_object('providers', (
              select jsonb_agg(distinct p) from (
                select jsonb_array_elements_text(coalesce(raw_app_meta_data -> 'providers', '[]'::jsonb)) as p
                union select $2::text) all_providers))
     where id = $1 returning ${COLUMNS}`,
    [userId, provider],
  );
  return rows[0]!;
}

/** Replaces user_metadata (the caller merged it). */
export async function setUserMetadata(db: Db, userId: string, metadata: Record<string, unknown>): Promise<void> {
  await db.query('update auth.users set raw_user_meta_data = $2, updated_at = now() where id = $1', [userId, JSON.stringify(metadata)]);
}

export function appMetadata(user: UserRow): Record<string, unknown> {
  const meta = user.raw_app_meta_data ?? {};
  const providers = Array.isArray(meta.providers) && meta.providers.length > 0 ? meta.providers : ['email'];
  return { ...meta, provider: typeof meta.provider === 'string' ? meta.provider : providers[0], providers };
}

export function userMetadata(user: UserRow): Record<string, unknown> {
  return user.raw_user_meta_data ?? {};
}

function identityId(userId: string, provider: string): string {
  const hex = createHash('sha256').update(`${userId}:${provider}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const iso = (value: Date | null): string | undefined => (value ? value.toISOString() : undefined);

/** The user object GoTrue answers with (GET /user, and `user` of a session). */
export function gotrueUser(user: UserRow): Record<string, unknown> {
  const app = appMetadata(user);
  const meta = userMetadata(user);
  const email = user.email ?? '';
  const identities = (app.providers as unknown[]).filter((p): p is string => typeof p === 'string').map((provider) => {
    const sub = provider === 'email' ? user.id : typeof meta.provider_id === 'string' ? meta.provider_id : user.id;
    return {
      identity_id: identityId(user.id, provider),
      id: sub,
      user_id: user.id,
      identity_data: { sub, email, email_verified: user.email_confirmed_at !== null, phone_verified: false },
      provider,
      last_sign_in_at: iso(user.last_sign_in_at),
      created_at: user.created_at.toISOString(),
      updated_at: user.updated_at.toISOString(),
      email,
    };
  });
  return {
    id: user.id,
    aud: user.aud ?? 'authenticated',
    role: user.role ?? 'authenticated',
    email,
    email_confirmed_at: iso(user.email_confirmed_at),
    phone: '',
    confirmed_at: iso(user.email_confirmed_at),
    last_sign_in_at: iso(user.last_sign_in_at),
    app_metadata: app,
    user_metadata: meta,
    identities,
    created_at: user.created_at.toISOString(),
    updated_at: user.updated_at.toISOString(),
    is_anonymous: false,
  };
}
