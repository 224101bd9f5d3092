/**
 * The URL is the state of every list, as plain query parameters (`?q=12345&page=2`): TanStack
 * Router's default JSON encoding would turn `12345` into a number and write strings as `%22…%22`.
 */
export function parseSearch(search: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(search));
}

/** Empty and default-less values are left out, so a cleared filter leaves the URL. */
export function stringifySearch(values: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A search value as text; anything else (absent, a repeated key) is empty. */
export const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

/** A whole number ≥ 1, else `fallback` (a bad `?page=bogus` never crashes). */
export function wholeNumber(value: unknown, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : fallback;
}
