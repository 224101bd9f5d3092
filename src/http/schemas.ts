import { z } from 'zod';

/** The one error shape of every route. */
export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});

export const bearerSecurity = [{ bearerAuth: [] }];

/**
 * The error responses of a route, each the one error shape: `errorResponses(400, 401, 404)`.
 * Name every status the route can answer: 500, and 503 when the database is busy or slow, are
 * possible on any route that reads it; 413 and 415 on any route with a JSON body.
 */
export function errorResponses<const S extends number>(...statuses: S[]): Record<S, typeof errorBody> {
  return Object.fromEntries(statuses.map((status) => [status, errorBody])) as Record<S, typeof errorBody>;
}

/** A row id as PostgreSQL prints a uuid (any version: fixtures use nil-like ids), documented as format uuid. */
export const id = z.guid();

/** A valid Date, or an ISO 8601 string (not whatever `Date` happens to parse, such as "1"). */
const isInstant = (value: unknown): value is Date | string =>
  (value instanceof Date || (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value))) && !Number.isNaN(new Date(value).getTime());

/** What handlers hand to `timestamp`. */
const instant = z
  .custom<Date | string>(isInstant, 'expected a Date or an ISO 8601 timestamp')
  // The OpenAPI document describes the output side of a response schema: say what the client gets.
  .meta({ type: 'string', format: 'date-time' });

/**
 * A point in time in a response. Handlers return what node-postgres gives (a Date) or an ISO
 * string; the response serializer (zod `encode`) sends ISO 8601 in UTC, documented as
 * `type: string, format: date-time`. A value that is neither fails the response (a 500), so a
 * wrong mapping never reaches a client as `{}` or a number.
 */
export const timestamp = z.codec(z.iso.datetime({ offset: true }), instant, {
  decode: (text) => new Date(text),
  encode: (value) => new Date(value).toISOString(),
});

/**
 * A JSON object whose keys are the caller's (an entitlement payload, owner audit data, a monitor
 * audit detail): free-form on purpose, so typed as an object and nothing more. Fields of this type are
 * named in test/api-schema.test.ts, which refuses any other open object.
 */
export const jsonObject = z.record(z.string(), z.unknown());

/** A whole number that PostgreSQL counts or sums (int4, and int8 parsed as a number in src/db/pool.ts). */
export const integer = z.number().int();
