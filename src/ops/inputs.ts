import { z } from 'zod';
import { InputError } from '../errors.js';

/** Workspace ids in paths: anything that is not a uuid is simply not found (never a 500). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A positive whole number of tokens; digit strings from forms are accepted. At most 1e12. */
export const amount = z.union([
  z.number().int('amount must be a whole number').positive('amount must be positive').max(1e12, 'amount is too large'),
  z
    .string()
    .trim()
    .regex(/^\d{1,13}$/, 'amount must be a positive whole number')
    .transform(Number)
    .refine((n) => n > 0 && n <= 1e12, 'amount must be between 1 and 1000000000000'),
]);

export const tokenChangeBody = z.object({
  amount,
  reason: z.string().trim().min(3, 'reason must be 3 to 500 characters').max(500, 'reason must be 3 to 500 characters'),
  // The seed's "Invalid input" bug: an empty reference id from a form means none.
  referenceId: z
    .string()
    .trim()
    .max(200, 'referenceId must be at most 200 characters')
    .nullish()
    .transform((value) => (value ? value : null)),
});
export type TokenChangeInput = z.output<typeof tokenChangeBody>;

/** Entitlement keys are free text within [a-z0-9_], 2–120 characters. */
export const entitlementKey = z.string().regex(/^[a-z0-9_]{2,120}$/, 'key must be 2 to 120 characters of a-z, 0-9 and _');

/** An entitlement payload: a JSON object; absent, null, "" or {} all store {}. */
export const optionalPayload = z
  .unknown()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined || value === null || value === '') return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
      ctx.addIssue({ code: 'custom', message: 'payload must be a JSON object' });
      return z.NEVER;
    }
    return value as Record<string, unknown>;
  });

/** A POST without a body arrives as null: the same as an empty object. */
const orEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((value) => value ?? {}, schema);

export const enableBody = orEmpty(z.object({ payload: optionalPayload }));
export const disableBody = orEmpty(
  z.object({ reason: z.string().trim().max(500, 'reason must be at most 500 characters').nullish() }),
);
export const payloadBody = z.object({
  payload: z.unknown().transform((value, ctx) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      ctx.addIssue({ code: 'custom', message: 'payload must be a JSON object' });
      return z.NEVER;
    }
    return value as Record<string, unknown>;
  }),
});

export const listQuery = z.object({
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

/** Deepest nesting an entitlement payload may have. */
export const PAYLOAD_MAX_DEPTH = 32;

function depthOf(value: unknown, limit: number): number {
  if (value === null || typeof value !== 'object') return 0;
  let deepest = 0;
  for (const child of Object.values(value)) {
    deepest = Math.max(deepest, 1 + depthOf(child, limit));
    if (deepest > limit) return deepest;
  }
  return deepest;
}

/**
 * Stored JSON stays small and flat enough to show and to copy into audit rows: at most `maxBytes`
 * of JSON (ENTITLEMENT_PAYLOAD_MAX_BYTES, default 64 kB) and PAYLOAD_MAX_DEPTH levels.
 */
export function checkPayloadLimits(payload: Record<string, unknown>, maxBytes: number): void {
  const bytes = Buffer.byteLength(JSON.stringify(payload));
  if (bytes > maxBytes) throw new InputError(`payload: at most ${maxBytes} bytes of JSON (this one has ${bytes})`);
  if (depthOf(payload, PAYLOAD_MAX_DEPTH) > PAYLOAD_MAX_DEPTH) throw new InputError(`payload: at most ${PAYLOAD_MAX_DEPTH} levels of nesting`);
}
