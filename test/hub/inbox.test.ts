import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testApp, testUser } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';
import { createWorkspace, one } from '../helpers/sql.js';

describe('team inbox', async () => {
  const db = await freshDatabase();
  const { app } = await testApp(db);
  const agent = await testUser(db, 'agent@inbox.example');
  const other = await testUser(db, 'other@inbox.example');
  const stranger = await testUser(db, 'stranger@inbox.example');
  const ws = await createWorkspace(db.pool, 'inbox-ws', [agent.id, other.id]);
  // 45 threads with messages spread over time, plus one without any message yet.
  await db.pool.query(`insert into wa_threads (workspace_id, phone_number_id, contact_wa_id, contact_name, status, last_message_preview, last_message_at)
    select $1, 'PN-I', '62800' || i, 'Contact ' || i, case when i % 3 = 0 then 'closed' else 'open' end,
           case when i = 7 then 'Where is my payment refund?' else 'hello ' || i end, now() - i * interval '1 minute'
    from generate_series(1, 45) i`, [ws]);
  await db.pool.query('insert into wa_threads (workspace_id, phone_number_id, contact_wa_id) values ($1, \'PN-I\', \'62899\')', [ws]);
  const get = (query: string, token = agent.token) =>
    app.inject({ method: 'GET', url: `/api/meta/whatsapp/threads?workspaceId=${ws}${query}`, headers: { authorization: `Bearer ${token}` } });
  const patch = (id: string, body: object, token = agent.token) =>
    app.inject({ method: 'PATCH', url: `/api/meta/whatsapp/threads/${id}`, headers: { authorization: `Bearer ${token}` }, payload: body });

  it('pages through every thread with a cursor, newest activity first, none twice', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(`&limit=20${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(res.statusCode, 200, res.body);
      seen.push(...res.json().threads.map((t: { contactWaId: string }) => t.contactWaId));
      cursor = res.json().nextCursor;
      pages++;
    } while (cursor);
    assert.equal(pages, 3);
    assert.equal(seen.length, 46);
    assert.equal(new Set(seen).size, 46);
    assert.equal(seen[0], '628001');
    assert.equal(seen.at(-1), '62899', 'a thread without messages comes last');
  });

  it('filters by status and by q (name, number or last message)', async () => {
    const closed = (await get('&status=closed&limit=100')).json().threads;
    assert.equal(closed.length, 15);
    assert.ok(closed.every((t: { status: string }) => t.status === 'closed'));
    const search = (await get('&q=REFUND')).json().threads;
    assert.deepEqual(search.map((t: { contactName: string }) => t.contactName), ['Contact 7']);
    assert.equal((await get('&q=6280012')).json().threads[0].contactWaId, '6280012');
  });

  it('PATCH sets status, assignee and tags; read resets unread_count; filters follow', async () => {
    const id = (await one<{ id: string }>(db.pool, 'select id from wa_threads where contact_wa_id = \'628002\'')).id;
    await db.pool.query('update wa_threads set unread_count = 4 where id = $1', [id]);
    const res = await patch(id, { status: 'pending', assignedTo: agent.id, tags: ['urgent', 'vip', 'urgent'], read: true });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().status, 'pending');
    assert.equal(res.json().unreadCount, 0);
    assert.deepEqual(res.json().tags, ['urgent', 'vip']);
    assert.deepEqual((await get('&assignee=me')).json().threads.map((t: { id: string }) => t.id), [id]);
    assert.deepEqual((await get('&tag=urgent')).json().threads.map((t: { id: string }) => t.id), [id]);
    assert.equal((await get('&assignee=unassigned&limit=100')).json().threads.length, 45);
    const retag = await patch(id, { tags: ['vip'], assignedTo: null });
    assert.deepEqual(retag.json().tags, ['vip']);
    assert.equal(retag.json().assignedTo, null);
  });

  it('refuses to assign a thread to a non-member', async () => {
    const id = (await one<{ id: string }>(db.pool, 'select id from wa_threads where contact_wa_id = \'628003\'')).id;
    const res = await patch(id, { assignedTo: stranger.id });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().error.message, /assignedTo/);
  });

  it('a non-member sees no threads (the workspace is not found for them) and cannot change one', async () => {
    const list = await get('', stranger.token);
    assert.equal(list.statusCode, 404);
    assert.deepEqual(list.json(), { error: { code: 'workspace_not_found', message: 'Workspace not found' } });
    const id = (await one<{ id: string }>(db.pool, 'select id from wa_threads where contact_wa_id = \'628004\'')).id;
    assert.equal((await patch(id, { status: 'closed' }, stranger.token)).statusCode, 404);
  });

  it('lists the messages of a thread, newest first', async () => {
    const id = (await one<{ id: string }>(db.pool, 'select id from wa_threads where contact_wa_id = \'628005\'')).id;
    await db.pool.query(`insert into wa_messages (workspace_id, thread_id, direction, status, text, created_at)
      select $1, $2, 'in', 'received', 'm' || i, now() - i * interval '1 second' from generate_series(1, 5) i`, [ws, id]);
    const res = await app.inject({ method: 'GET', url: `/api/meta/whatsapp/threads/${id}/messages?limit=3`, headers: { authorization: `Bearer ${agent.token}` } });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().messages.map((m: { text: string }) => m.text), ['m1', 'm2', 'm3']);
    // Another workspace's member gets 404 for a thread that has messages, not an empty page.
    const foreign = await app.inject({ method: 'GET', url: `/api/meta/whatsapp/threads/${id}/messages`, headers: { authorization: `Bearer ${stranger.token}` } });
    assert.equal(foreign.statusCode, 404, foreign.body);
    assert.equal(foreign.json().error.code, 'thread_not_found');
    const past = await app.inject({ method: 'GET', url: `/api/meta/whatsapp/threads/${id}/messages?before=${encodeURIComponent(res.json().nextBefore)}&limit=50`, headers: { authorization: `Bearer ${agent.token}` } });
    assert.equal(past.statusCode, 200, past.body);
    assert.deepEqual(past.json().messages.map((m: { text: string }) => m.text), ['m4', 'm5']);
  });

  it('rejects a cursor it did not issue with 400', async () => {
    const res = await get('&cursor=garbage');
    assert.equal(res.statusCode, 400);
    assert.match(res.json().error.message, /cursor/);
    // Well-formed, but not a (time, thread id) the list handed out: still named, never a database error.
    for (const forged of [{ at: 'yesterday', id: '00000000-0000-0000-0000-000000000000' }, { at: '2026-01-01 00:00:00+00', id: 'x' }]) {
      const bad = await get(`&cursor=${Buffer.from(JSON.stringify(forged)).toString('base64url')}`);
      assert.equal(bad.statusCode, 400, bad.body);
      assert.match(bad.json().error.message, /^cursor:/);
    }
  });
});
