import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { timestamp } from '../src/http/schemas.js';

// The response serializer encodes (fastify-type-provider-zod 7 calls zod's safeEncode) and the
// document describes the output side: both are checked here, as the routes use them.
describe('the timestamp response schema', () => {
  const body = z.object({ at: timestamp, maybe: timestamp.nullable() });

  it('sends a Date or an ISO string as ISO 8601 in UTC', () => {
    const at = new Date('2026-12-01T10:00:00.123Z');
    assert.deepEqual(z.encode(body, { at, maybe: null }), { at: '2026-12-01T10:00:00.123Z', maybe: null });
    assert.deepEqual(z.encode(body, { at: '2026-12-01T12:00:00.123456+02:00', maybe: at }), { at: '2026-12-01T10:00:00.123Z', maybe: '2026-12-01T10:00:00.123Z' });
  });

  it('refuses what is not a point in time, so a wrong mapping is a 500 and not a wrong field', () => {
    for (const at of ['1', 'yesterday', new Date(Number.NaN), 1767225600000, null, undefined, {}]) {
      assert.equal(z.safeEncode(body, { at, maybe: null } as never).success, false, String(at));
    }
  });

  it('is documented as string/date-time on the response side', () => {
    const schema = z.toJSONSchema(timestamp, { io: 'output', target: 'openapi-3.0', unrepresentable: 'any' });
    assert.equal(schema.type, 'string');
    assert.equal(schema.format, 'date-time');
  });
});
