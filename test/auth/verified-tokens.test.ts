// Verified access tokens are remembered until they expire, and only for the exact token string.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mintAccessToken, verifyAccessToken } from '../../src/auth/jwt.js';
import { VerifiedTokens } from '../../src/auth/verified-tokens.js';

const key = new TextEncoder().encode('k'.repeat(40));
const sub = '3a65d74c-1f46-4e9b-ba7c-3119c966eecf';

describe('verified tokens', () => {
  it('an entry is dropped at its exp, and the oldest goes first past the bound', () => {
    const cache = new VerifiedTokens(2);
    cache.remember('a', { sub, role: 'authenticated', exp: 100 });
    assert.equal(cache.get('a', 99_999)?.sub, sub);
    assert.equal(cache.get('a', 100_000), undefined);
    assert.equal(cache.size, 0);
    cache.remember('b', { sub, role: 'authenticated', exp: 200 });
    cache.remember('c', { sub, role: 'authenticated', exp: 200 });
    cache.remember('d', { sub, role: 'authenticated', exp: 200 });
    assert.equal(cache.get('b', 0), undefined);
    assert.ok(cache.get('c', 0) && cache.get('d', 0));
    cache.remember('no-exp', { sub, role: 'authenticated' });
    assert.equal(cache.get('no-exp', 0), undefined);
  });

  it('a remembered token still expires, and a changed signature is verified (and refused) afresh', async () => {
    const token = await mintAccessToken(key, { sub, expiresIn: 1 });
    assert.equal((await verifyAccessToken(token, key)).sub, sub);
    const forged = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    await assert.rejects(verifyAccessToken(forged, key), { code: 'invalid_token' });
    // Another key never sees this key's entries.
    await assert.rejects(verifyAccessToken(token, new TextEncoder().encode('o'.repeat(40))), { code: 'invalid_token' });
    const claims = await verifyAccessToken(token, key);
    claims.sub = 'changed by a caller';
    assert.equal((await verifyAccessToken(token, key)).sub, sub);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await assert.rejects(verifyAccessToken(token, key), { code: 'token_expired' });
  });
});
