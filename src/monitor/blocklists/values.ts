import { InputError } from '../../errors.js';

/** The three seed 001 blocklists, by the name the API uses. */
export const BLOCKLIST_KINDS = ['groups', 'senders', 'keywords'] as const;
export type BlocklistKind = (typeof BLOCKLIST_KINDS)[number];

/** Table and key column of each list (fixed names: never taken from a request). */
export const BLOCKLIST_TABLES: Record<BlocklistKind, { table: string; column: string }> = {
  groups: { table: 'block_groups', column: 'wa_group_id' },
  senders: { table: 'block_senders', column: 'sender' },
  keywords: { table: 'block_keywords', column: 'keyword' },
};

const GROUP = /^\d{6,30}(-\d{6,30})?@g\.us$/;
const PHONE = /^\+?[\d\s().-]{5,32}$/;
const PHONE_JID = /^(\d{5,20})(:\d{1,5})?@s\.whatsapp\.net$/;
const LID = /^(\d{5,30})(:\d{1,5})?@lid$/;

/**
 * The stored form of a value, or an InputError naming the field:
 * - a group is its WhatsApp id (`120363…@g.us`);
 * - a sender is a phone number (stored as digits: `+62 811-1234` → `628111234`, and a phone jid
 *   `628111234:3@s.whatsapp.net` is the same number) or a WhatsApp `@lid` id (stored as `<digits>@lid`);
 *   ingest matches either form against the sender, its phone jid and the lid ↔ phone mapping;
 * - a keyword is matched case-insensitively inside the text, so it is stored lower-cased.
 */
export function normalizeValue(kind: BlocklistKind, raw: string): string {
  const value = raw.trim();
  if (kind === 'groups') {
    if (!GROUP.test(value)) throw new InputError('value must be a WhatsApp group id such as 120363012345678901@g.us', 'invalid_group_id');
    return value;
  }
  if (kind === 'senders') {
    const lid = LID.exec(value);
    if (lid) return `${lid[1]}@lid`;
    const jid = PHONE_JID.exec(value);
    if (jid) return jid[1]!;
    const digits = value.replace(/\D/g, '');
    if (PHONE.test(value) && digits.length >= 5 && digits.length <= 20) return digits;
    throw new InputError('value must be a phone number (digits, optionally with + and spaces) or a WhatsApp id ending in @s.whatsapp.net or @lid', 'invalid_sender');
  }
  if (value.length === 0 || value.length > 100) throw new InputError('value must be a keyword of 1 to 100 characters', 'invalid_keyword');
  return value.toLowerCase();
}

/** An optional reason: trimmed, empty is none, at most 500 characters. */
export function normalizeReason(raw: string | null | undefined): string | null {
  const reason = raw?.trim() ?? '';
  if (reason.length > 500) throw new InputError('reason must be at most 500 characters', 'invalid_reason');
  return reason || null;
}
