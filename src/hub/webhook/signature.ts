import { createHmac, timingSafeEqual } from 'node:crypto';

/** Exactly `sha256=` and 64 hex digits: Buffer.from(…, 'hex') would quietly ignore anything after. */
const HEADER = /^sha256=([0-9a-fA-F]{64})$/;

/** True when `header` is `sha256=<hex HMAC-SHA256 of the raw body with the app secret>` (constant time). */
export function validSignature(raw: Buffer, header: string | undefined, appSecret: string): boolean {
  const hex = header ? HEADER.exec(header)?.[1] : undefined;
  if (!hex) return false;
  const given = Buffer.from(hex, 'hex');
  const expected = createHmac('sha256', appSecret).update(raw).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function sign(raw: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`;
}
