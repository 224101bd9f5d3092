// Issue 16, "nothing lost": a list that pages must show every row once, even when many share a time.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testApp, testUser } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';
import { createWorkspace, one } from '../helpers/sql.js';

describe('keyset paging never hides rows', async () => {
  const db = await freshDatabase();
  const agent = await testUser(db, 'agent@paging.example');
  const ws = await createWorkspace(db.pool, 'paging', [agent.id]);
  const { app } = await testApp(db);
  const thread = (await one<{ id: string }>(db.pool, 'insert into wa_threads (workspace_id, phone_number_id, contact_wa_id) values ($1, \'PN-P\', \'6281\') returning id', [ws])).id;
  const get = (query: string) => app.inject({ method: 'GET', url: `/api/meta/whatsapp/threads/${thread}/messages?${query}`, headers: { authorization: `Bearer ${agent.token}` } });

  it('thread messages: 12 messages of one second (Meta\'s resolution) come as pages of 5, 5 and 2, each exactly once', async () => {
    await db.pool.query(`insert into wa_messages (workspace_id, thread_id, direction, status, text, created_at)
      select $1, $2, 'in', 'received', 'same second ' || i, timestamptz '2026-11-30 10:00:00+00' from generate_series(1, 12) i`, [ws, thread]);
    const seen: string[] = [];
    let before: string | null = null;
    const sizes: number[] = [];
    do {
      const res = await get(`limit=5${before ? `&before=${encodeURIComponent(before)}` : ''}`);
      assert.equal(res.statusCode, 200, res.body);
      const page = res.json() as { messages: { id: string }[]; nextBefore: string | null };
      sizes.push(page.messages.length);
      seen.push(...page.messages.map((m) => m.id));
      before = page.nextBefore;
    } while (before && sizes.length < 10);
    assert.deepEqual(sizes, [5, 5, 2]);
    assert.equal(new Set(seen).size, 12);
  });

  it('a cursor it did not issue is a 400 naming before; a plain ISO time still works', async () => {
    for (const bad of ['garbage', '1', '2026-11-30T10:00:00Z~not-a-uuid', '275760-01-01']) {
      const res = await get(`before=${encodeURIComponent(bad)}`);
      assert.equal(res.statusCode, 400, bad);
      assert.match(res.json().error.message, /^before /);
    }
    assert.equal((await get('before=2026-11-30T10:00:01Z&limit=50')).json().messages.length, 12);
  });
});
