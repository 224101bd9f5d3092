import type pg from 'pg';
import { bareLid, barePn, type LidPair, numberOf, pairFromMessage } from './jids.js';
import { lookupLidPairs, saveLidPairs } from './lid-map.js';
import type { WaMessage } from '../session/port.js';

/** Every form a sender may be known by: as sent, its phone jid and number, its lid. */
export interface SenderIdentity {
  /** The resolved phone jid (`5511…@s.whatsapp.net`), when known. */
  pn: string | null;
  /** What a blocklist entry may hold for this sender. */
  forms: string[];
}

/**
 * Learns the lid ↔ phone pairs a batch's message keys carry (stored first, so the same batch
 * benefits), then resolves each sender through the mapping.
 */
export async function resolveSenders(db: Pick<pg.ClientBase, 'query'>, messages: { sender: string; source: WaMessage }[]): Promise<Map<string, SenderIdentity>> {
  const fromKeys = messages.map((m) => pairFromMessage(m.source)).filter((p): p is LidPair => p !== null);
  await saveLidPairs(db, fromKeys, 'message_key');
  const senders = [...new Set(messages.map((m) => m.sender))];
  const known = await lookupLidPairs(db, senders);
  const pnOfLid = new Map(known.map((p) => [p.lid, p.pn]));
  const lidOfPn = new Map(known.map((p) => [p.pn, p.lid]));
  const result = new Map<string, SenderIdentity>();
  for (const sender of senders) {
    const lid = bareLid(sender) ?? lidOfPn.get(barePn(sender) ?? '') ?? null;
    const pn = barePn(sender) ?? (lid ? pnOfLid.get(lid) ?? null : null);
    const forms = new Set([sender, lid, pn, numberOf(pn)].filter((f): f is string => Boolean(f)));
    result.set(sender, { pn, forms: [...forms] });
  }
  return result;
}
