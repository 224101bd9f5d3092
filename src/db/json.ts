/**
 * JSON text for jsonb and text columns. JSON can carry two things PostgreSQL refuses: U+0000
 * (jsonb: 22P05, text: 22021) and unpaired UTF-16 surrogates (jsonb: 22P02). Both are replaced
 * with U+FFFD, in values and in keys, so data from WhatsApp or Meta is kept instead of failing
 * the whole write.
 */
const storable = (text: string) => (text.includes('\0') ? text.replaceAll('\0', '\uFFFD') : text).toWellFormed();

const needsCleaning = (text: string) => text.includes('\0') || !text.isWellFormed();

function clean(key: string, value: unknown, replacer?: (key: string, value: unknown) => unknown): unknown {
  const given = replacer ? replacer(key, value) : value;
  if (typeof given === 'string') return needsCleaning(given) ? storable(given) : given;
  if (given && typeof given === 'object' && !Array.isArray(given) && Object.keys(given).some(needsCleaning)) {
    return Object.fromEntries(Object.entries(given).map(([name, inner]) => [storable(name), inner]));
  }
  return given;
}

/** `JSON.stringify` for the database (an optional replacer runs first, e.g. for Buffers). */
export function toDatabaseJson(value: unknown, replacer?: (key: string, value: unknown) => unknown): string {
  return JSON.stringify(value, (key, inner) => clean(key, inner, replacer)) ?? 'null';
}
