/**
 * A formatter made on first use: each Intl formatter costs several milliseconds to build in a fresh
 * page (it loads locale data), and a page uses one or two of the five here.
 */
function lazy<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}

const number = lazy(() => new Intl.NumberFormat('en-US'));
const dateTime = lazy(() => new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' }));

export const formatNumber = (value: number): string => number().format(value);

/** A file size for a person: `512 B`, `20.4 KB`, `3.1 MB`; empty for null. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(Math.round(bytes / 102.4) / 10)} KB`;
  return `${formatNumber(Math.round(bytes / 104857.6) / 10)} MB`;
}

/** A timestamp for a person, in their time zone; empty for null. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : dateTime().format(date);
}

/** JSON on one line, for tables. */
export const compactJson = (value: unknown): string => JSON.stringify(value ?? null);

const time = lazy(() => new Intl.DateTimeFormat('en-GB', { timeStyle: 'short' }));
const shortDate = lazy(() => new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short' }));
const longDate = lazy(() => new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }));

const sameDay = (a: Date, b: Date) => a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

/** A list's time: the clock today, else the date. */
export function formatListTime(value: string | null | undefined, now = new Date()): string {
  if (!value) return '';
  const date = new Date(value);
  return sameDay(date, now) ? time().format(date) : shortDate().format(date);
}

export const formatClock = (value: string): string => time().format(new Date(value));

/** A day separator: Today, Yesterday, or the full date. */
export function formatDay(value: string, now = new Date()): string {
  const date = new Date(value);
  if (sameDay(date, now)) return 'Today';
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  return sameDay(date, yesterday) ? 'Yesterday' : longDate().format(date);
}

/** The local calendar day of a timestamp, to group messages under separators. */
export const dayKey = (value: string): string => {
  const date = new Date(value);
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
};
