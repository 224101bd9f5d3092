import type pg from 'pg';
import type { Pool } from '../db/pool.js';
import { takeRateLimitSlot } from '../db/rate-limit.js';
import { withTransaction } from '../db/tx.js';
import type { UserClaims } from '../db/with-user.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { auditConnection, auditedColumns } from './connection-audit.js';
import { decryptSecret, encryptSecret } from './crypto.js';
import type { GraphFailure, GraphTarget } from './graph-api.js';
import { graphHint } from './graph-hints.js';
import { fetchNumberDetails, type NumberDetails } from './number-details.js';
import { saveConnection } from './setup.js';
import { requireWorkspaceManager, type WorkspaceAccess, workspaceAccess } from './workspace-access.js';

type Queryable = Pick<pg.ClientBase, 'query'>;

/** What the connections routes need from the server: the ops allowlist, the token key, Graph. */
export interface ConnectionsDeps {
  allowlist: string[];
  /** The AES-256 key of access tokens, read when first needed. */
  key: () => Buffer;
  graph: GraphTarget;
}

/** A wa_phone_numbers row as the settings page shows it: never its token, only whether it has one. */
export interface Connection {
  id: string;
  workspaceId: string;
  phoneNumberId: string;
  wabaId: string | null;
  displayPhoneNumber: string | null;
  displayName: string | null;
  status: 'active' | 'inactive';
  hasToken: boolean;
  /** The newest inbound message on the number, or event held as an orphan for it; null when none. */
  lastWebhookAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ConnectionTest {
  ok: boolean;
  checkedAt: Date;
  details: NumberDetails | null;
  error: (GraphFailure & { hint: string }) | null;
}

/** Two index lookups per connection (migration 20261201000510), however many messages it has. */
const COLUMNS = `c.id, c.workspace_id as "workspaceId", c.phone_number_id as "phoneNumberId", c.waba_id as "wabaId",
  c.display_phone_number as "displayPhoneNumber", c.display_name as "displayName", c.status,
  c.access_token_enc is not null as "hasToken", c.created_at as "createdAt", c.updated_at as "updatedAt",
  greatest(
    (select m.created_at from public.wa_messages m where m.connection_id = c.id and m.direction = 'in' order by m.created_at desc limit 1),
    (select o.received_at from public.orphan_webhook_events o where o.phone_number_id = c.phone_number_id order by o.received_at desc limit 1)
  ) as "lastWebhookAt"`;

export async function connectionById(db: Queryable, id: string, lock = false): Promise<Connection | null> {
  const { rows } = await db.query<Connection>(`select ${COLUMNS} from public.wa_phone_numbers c where c.id = $1${lock ? ' for update of c' : ''}`, [id]);
  return rows[0] ?? null;
}

/** A connection and the caller's access to its workspace: 404 connection_not_found for outsiders, 403 for members who may not manage. */
async function managedConnection(
  pool: Pool,
  deps: ConnectionsDeps,
  claims: UserClaims,
  id: string,
): Promise<{ connection: Connection; access: WorkspaceAccess }> {
  const connection = await connectionById(pool, id);
  const notFound = new NotFoundError('connection_not_found', 'Connection not found');
  if (!connection) throw notFound;
  const access = await requireWorkspaceManager(pool, deps.allowlist, claims, connection.workspaceId).catch((error: unknown) => {
    throw error instanceof NotFoundError ? notFound : error;
  });
  return { connection, access };
}

/** The workspace's connections, oldest first; any member may list them. */
export async function listConnections(
  pool: Pool,
  deps: ConnectionsDeps,
  claims: UserClaims,
  workspaceId: string,
): Promise<{ connections: Connection[]; canManage: boolean }> {
  const access = await workspaceAccess(pool, deps.allowlist, claims, workspaceId);
  const { rows } = await pool.query<Connection>(`select ${COLUMNS} from public.wa_phone_numbers c where c.workspace_id = $1 order by c.created_at, c.id`, [workspaceId]);
  return { connections: rows, canManage: access.canManage };
}

export interface NewConnection {
  workspaceId: string;
  phoneNumberId: string;
  wabaId: string;
  accessToken: string;
  displayPhoneNumber?: string | undefined;
  displayName?: string | undefined;
}

/** Adds a number by hand: the token is encrypted at once; the change and its audit row commit together. */
export async function addManualConnection(pool: Pool, deps: ConnectionsDeps, claims: UserClaims, input: NewConnection): Promise<Connection> {
  const access = await requireWorkspaceManager(pool, deps.allowlist, claims, input.workspaceId);
  return withTransaction(pool, async (client) => {
    const { id } = await saveConnection(client, deps.key(), {
      workspaceId: input.workspaceId,
      phoneNumberId: input.phoneNumberId,
      wabaId: input.wabaId,
      token: input.accessToken,
      displayPhoneNumber: input.displayPhoneNumber ?? null,
      displayName: input.displayName ?? null,
    }, 'refuse');
    const connection = (await connectionById(client, id))!;
    await auditConnection(client, access, { action: 'workspace.connection.added', connectionId: id, after: auditedColumns(connection), meta: { via: 'manual' } });
    return connection;
  });
}

export interface ConnectionPatch {
  status?: 'active' | 'inactive' | undefined;
  accessToken?: string | undefined;
}

/** Activates or deactivates a connection, or replaces its token; one audit row per change made. */
export async function updateConnection(pool: Pool, deps: ConnectionsDeps, claims: UserClaims, id: string, patch: ConnectionPatch): Promise<Connection> {
  const { access } = await managedConnection(pool, deps, claims, id);
  return withTransaction(pool, async (client) => {
    const before = await connectionById(client, id, true);
    if (!before) throw new NotFoundError('connection_not_found', 'Connection not found');
    const status = patch.status ?? before.status;
    await client.query(
      `update public.wa_phone_numbers set status = $2, access_token_enc = coalesce($3, access_token_enc), updated_at = now() where id = $1`,
      [id, status, patch.accessToken ? encryptSecret(deps.key(), patch.accessToken) : null],
    );
    const after = (await connectionById(client, id))!;
    if (status !== before.status) {
      const action = status === 'active' ? 'workspace.connection.activated' : 'workspace.connection.deactivated';
      await auditConnection(client, access, { action, connectionId: id, before: auditedColumns(before), after: auditedColumns(after) });
    }
    if (patch.accessToken) await auditConnection(client, access, { action: 'workspace.connection.token_replaced', connectionId: id });
    return after;
  });
}

/** Tests per connection per minute: each one is a Graph call with the number's token. */
const TESTS_PER_MINUTE = 10;

/**
 * "Test connection": reads the number's details from Graph with the stored token and reports them,
 * or Meta's error with what to do. Display number and name the connection lacks are filled in.
 */
export async function testConnection(pool: Pool, deps: ConnectionsDeps, claims: UserClaims, id: string): Promise<ConnectionTest> {
  const { connection } = await managedConnection(pool, deps, claims, id);
  await takeRateLimitSlot(pool, `connection-test:${id}`, TESTS_PER_MINUTE, 60);
  const sealed = (await pool.query<{ token: string | null }>('select access_token_enc as token from public.wa_phone_numbers where id = $1', [id])).rows[0]?.token;
  if (!sealed) throw new ConflictError('connection_has_no_token', 'This connection has no access token: replace its token first');
  let token: string;
  try {
    token = decryptSecret(deps.key(), sealed);
  } catch {
    throw new ConflictError('connection_token_unreadable', 'The stored token cannot be decrypted with this server\'s WABASE_ENCRYPTION_KEY: replace the token');
  }
  const checkedAt = new Date();
  const result = await fetchNumberDetails(deps.graph, connection.phoneNumberId, token);
  if (!result.ok) return { ok: false, checkedAt, details: null, error: { ...result.failure, hint: graphHint('test', result.failure) } };
  await pool.query(
    `update public.wa_phone_numbers set display_phone_number = coalesce(display_phone_number, $2), display_name = coalesce(display_name, $3) where id = $1`,
    [id, result.body.displayPhoneNumber, result.body.verifiedName],
  );
  return { ok: true, checkedAt, details: result.body, error: null };
}
