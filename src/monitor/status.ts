import type { Pool } from '../db/pool.js';
import { pendingFlags } from './flags.js';
import { readSession } from './session/session-row.js';

/** The session as the UI shows it, with what the worker has yet to do and the group counts. */
export async function monitorStatus(pool: Pool) {
  const [session, flags, groups] = await Promise.all([
    readSession(pool),
    pendingFlags(pool),
    pool.query<{ total: number; monitored: number }>('select count(*)::int as total, count(*) filter (where monitor)::int as monitored from public.groups'),
  ]);
  const qr = currentQr(session.detail);
  return {
    status: session.status,
    waNumber: session.waNumber,
    waName: session.waName,
    lastStatusAt: session.lastStatusAt.toISOString(),
    qrAvailable: qr !== null,
    pendingFlags: flags,
    groups: groups.rows[0]!,
  };
}

function currentQr(detail: Record<string, unknown>): { qr: string; expiresAt: string } | null {
  const { qr, expiresAt } = detail as { qr?: unknown; expiresAt?: unknown };
  if (typeof qr !== 'string' || typeof expiresAt !== 'string' || Date.parse(expiresAt) <= Date.now()) return null;
  return { qr, expiresAt };
}

/** The QR to scan while connecting, or null when there is none or it has expired. */
export async function monitorQr(pool: Pool) {
  const session = await readSession(pool);
  const qr = session.status === 'connecting' ? currentQr(session.detail) : null;
  return { status: session.status, qr: qr?.qr ?? null, expiresAt: qr?.expiresAt ?? null };
}
