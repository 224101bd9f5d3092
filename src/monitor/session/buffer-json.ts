/**
 * JSON that keeps binary values, in the encoding Baileys' BufferJSON uses
 * (`{type: 'Buffer', data: <base64>}`), so creds and keys survive a round trip through jsonb.
 */
export function bufferReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return { type: 'Buffer', data: Buffer.from(value).toString('base64') };
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer') {
    const data = (value as { data?: unknown }).data;
    if (Array.isArray(data)) return { type: 'Buffer', data: Buffer.from(data as number[]).toString('base64') };
  }
  return value;
}

export function bufferReviver(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer') {
    const data = (value as { data?: unknown }).data;
    if (typeof data === 'string') return Buffer.from(data, 'base64');
    if (Array.isArray(data)) return Buffer.from(data as number[]);
  }
  return value;
}

/** Plain JSON (binary as base64) of anything, for jsonb columns. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, bufferReplacer) ?? 'null';
}

export function fromJson<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value), bufferReviver) as T;
}
