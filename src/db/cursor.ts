import { InputError } from '../errors.js';

/**
 * Keyset cursors for newest-first lists: `<timestamp>` or `<timestamp>~<uuid>` (the `nextBefore` a
 * page returns). The id part breaks ties, so rows sharing a timestamp are never skipped.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A keyset's tie-breaking id. */
export const isKeysetId = (id: string): boolean => UUID.test(id);

/**
 * A keyset's timestamp, as PostgreSQL reads it back: JavaScript reads "1" or year 275760 as dates
 * and PostgreSQL does not, so only an ISO date of years 1..9999 passes (kept as given: a round trip
 * through Date would drop the cursor's microseconds).
 */
export function isKeysetTimestamp(ts: string): boolean {
  const year = new Date(ts.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).getUTCFullYear();
  return /^\d{4}-\d{2}-\d{2}/.test(ts) && year >= 1 && year <= 9999;
}

export function beforeCondition(before: string, column: string, idColumn: string, param: (value: unknown) => string): string {
  const [ts, id] = before.split('~');
  if (!ts || !isKeysetTimestamp(ts)) throw new InputError('before must be an ISO timestamp or the nextBefore of a previous page');
  if (id !== undefined && !isKeysetId(id)) throw new InputError('before has a malformed id part');
  const at = param(ts);
  if (id === undefined) return `${column} < ${at}::timestamptz`;
  return `${column} <= ${at}::timestamptz and (${column} < ${at}::timestamptz or ${idColumn} < ${param(id)}::uuid)`;
}

/** The cursor of the last row of a full page, or null when there is no next page. */
export function nextBefore(rows: { id: string; cursor: string }[], limit: number): string | null {
  const last = rows.at(-1);
  return rows.length === limit && last ? `${last.cursor}~${last.id}` : null;
}
