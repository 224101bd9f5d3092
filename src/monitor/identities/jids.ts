import type { WaGroupMetadata, WaMessage } from '../session/port.js';

/** A lid and the phone jid it stands for, both without a device suffix. */
export interface LidPair {
  lid: string;
  pn: string;
}

const LID = /^(\d+)(?::\d+)?@lid$/;
const PN = /^(\d+)(?::\d+)?@s\.whatsapp\.net$/;

/** `204318…:12@lid` → `204318…@lid`; anything else → null. */
export function bareLid(jid: string | null | undefined): string | null {
  const match = jid ? LID.exec(jid) : null;
  return match ? `${match[1]}@lid` : null;
}

/** `5511…:3@s.whatsapp.net` → `5511…@s.whatsapp.net`; anything else → null. */
export function barePn(jid: string | null | undefined): string | null {
  const match = jid ? PN.exec(jid) : null;
  return match ? `${match[1]}@s.whatsapp.net` : null;
}

/** The phone number of a phone jid (`5511…`), or null for a lid, a group or nothing. */
export const numberOf = (jid: string | null | undefined): string | null => barePn(jid)?.split('@')[0] ?? null;

function pair(a: string | null | undefined, b: string | null | undefined): LidPair | null {
  const lid = bareLid(a) ?? bareLid(b);
  const pn = barePn(a) ?? barePn(b);
  return lid && pn ? { lid, pn } : null;
}

/**
 * What a message key says of its sender's two identities: `participant` with its alternate
 * (`participantAlt` in Baileys 7; `participantPn`/`senderPn`/`participantLid`/`senderLid` in
 * earlier release candidates).
 */
export function pairFromMessage(message: WaMessage): LidPair | null {
  const key = message.key;
  const sender = key.participant ?? message.participant;
  for (const alternate of [key.participantAlt, key.participantPn, key.senderPn, key.participantLid, key.senderLid]) {
    const found = pair(sender, alternate);
    if (found) return found;
  }
  return null;
}

/** What group metadata says: each participant's `id` with its `lid` or `phoneNumber`. */
export function pairsFromGroups(groups: Partial<WaGroupMetadata>[]): LidPair[] {
  return groups.flatMap((group) => (group.participants ?? []).flatMap((p) => {
    const found = pair(p.id, p.phoneNumber) ?? pair(p.id, p.lid) ?? pair(p.lid, p.phoneNumber);
    return found ? [found] : [];
  }));
}
