import { InputError } from '../errors.js';

/**
 * Keyset cursors for newest-first lists: `<timestamp>` or `<timestamp>~<uuid>` (the `nextBefore` a
 * page returns). The id part breaks ties, so rows sharing a timestamp are never skipped.
 */
export function beforeCondition(before: string, column: string, idColumn: string, param: (value: unknown) => string): string {
  const [ts, id] = before.split('~');
  // JavaScript reads "1" or year 275760 as dates and PostgreSQL does not: only an ISO date of
  // years 1..9999 goes on, as given (a round trip through Date would drop the cursor's microseconds).
  const year = ts ? new Date(ts).getUTCFullYear() : Number.NaN;
  if (!ts || !/^\d{4}-\d{2}-\d{2}/.test(ts) || !(year >= 1 && year <= 9999)) {
    throw new InputError('before must be an ISO timestamp or the nextBefore of a previous page');
  }
  if (id !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new InputError('before has a malformed id part');
  const at = param(ts);
  if (id === undefined) return `${column} < ${at}::timestamptz`;
  return `${column} <= ${at}::timestamptz and (${column} < ${at}::timestamptz or ${idColumn} < ${param(id)}::uuid)`;
}

/** The cursor of the last row of a full page, or null when there is no next page. */
export function nextBefore(rows: { id: string; cursor: string }[], limit: number): string | null {
  const last = rows.at(-1);
  return rows.length === limit && last ? `${last.cursor}~${last.id}` : null;
}
