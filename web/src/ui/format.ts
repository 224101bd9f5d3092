const number = new Intl.NumberFormat('en-US');
const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

export const formatNumber = (value: number): string => number.format(value);

/** A timestamp for a person, in their time zone; empty for null. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : dateTime.format(date);
}

/** JSON on one line, for tables. */
export const compactJson = (value: unknown): string => JSON.stringify(value ?? null);
