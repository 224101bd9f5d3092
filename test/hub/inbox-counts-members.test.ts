// Issue 13: what the inbox page reads besides threads: status-tab counts, the caller's
// workspaces, and the members an agent can assign.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testApp, testUser } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';
import { createWorkspace } from '../helpers/sql.js';

describe('inbox counts, workspaces and members', async () => {
  const db = await freshDatabase();
  const { app } = await testApp(db);
  const agent = await testUser(db, 'agent@counts.example');
  const owner = await testUser(db, 'Owner@counts.example');
  const stranger = await testUser(db, 'stranger@counts.example');
  const ws = await createWorkspace(db.pool, 'counts-ws', [agent.id, owner.id]);
  await db.pool.query('update workspace_memberships set role = \'owner\' where user_id = $1', [owner.id]);
  const other = await createWorkspace(db.pool, 'counts-other', [stranger.id]);
  // 30 threads: status by i % 3; every 5th assigned to the agent; every 4th tagged 'urgent'; one 100%-off.
  await db.pool.query(`insert into wa_threads (workspace_id, phone_number_id, contact_wa_id, contact_name, status, assigned_to, last_message_preview, last_message_at)
    select $1, 'PN-C', '62700' || i, 'Contact ' || i, (array['open','pending','closed'])[i % 3 + 1], case when i % 5 = 0 then $2::uuid end,
           case when i = 9 then 'a 100% refund' else 'hello ' || i end, now() - i * interval '1 minute'
    from generate_series(1, 30) i`, [ws, agent.id]);
  await db.pool.query('insert into wa_thread_tags (thread_id, workspace_id, tag) select id, workspace_id, \'urgent\' from wa_threads where right(contact_wa_id, 2)::int % 4 = 0', []);
  await db.pool.query('insert into wa_threads (workspace_id, phone_number_id, contact_wa_id, status) values ($1, \'PN-X\', \'62999\', \'open\')', [other]);
  const get = (url: string, token = agent.token) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const counts = async (query = '', token = agent.token) => {
    const res = await get(`/api/meta/whatsapp/threads/counts?workspaceId=${ws}${query}`, token);
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  };
  const listed = async (query: string) => {
    const res = await get(`/api/meta/whatsapp/threads?workspaceId=${ws}&limit=100${query}`);
    return res.json().threads as { status: string }[];
  };

  it('counts per status agree with the list under every other filter', async () => {
    for (const query of ['', '&assignee=me', '&assignee=unassigned', '&tag=urgent', '&q=contact 1', '&tag=urgent&assignee=me']) {
      const all = await listed(query);
      const expected = { open: 0, pending: 0, closed: 0, all: all.length, capped: { open: false, pending: false, closed: false, all: false } };
      for (const t of all) expected[t.status as 'open']++;
      assert.deepEqual(await counts(query), expected, query);
    }
    assert.deepEqual(await counts(), { open: 10, pending: 10, closed: 10, all: 30, capped: { open: false, pending: false, closed: false, all: false } });
  });

  it('a status past 1,000 threads is counted as 1,000 and marked capped (the tab shows 1,000+)', async () => {
    const big = await createWorkspace(db.pool, 'counts-big', [agent.id]);
    await db.pool.query(`insert into wa_threads (workspace_id, phone_number_id, contact_wa_id, status)
      select $1, 'PN-BIG', '62600' || i, case when i <= 1001 then 'open' else 'pending' end from generate_series(1, 1004) i`, [big]);
    const res = await get(`/api/meta/whatsapp/threads/counts?workspaceId=${big}`);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { open: 1000, pending: 3, closed: 0, all: 1003, capped: { open: true, pending: false, closed: false, all: true } });
    const exactly = await get(`/api/meta/whatsapp/threads/counts?workspaceId=${big}&q=626001000`);
    assert.deepEqual(exactly.json().capped, { open: false, pending: false, closed: false, all: false });
  });

  it('q in counts matches literally: % and _ are not wildcards', async () => {
    assert.equal((await counts('&q=100%25')).all, 1);
    assert.equal((await counts('&q=%25')).all, 1);
    assert.equal((await counts('&q=_')).all, 0);
  });

  it('a non-member gets 404 and bad filters are 400 naming the field', async () => {
    const foreign = await get(`/api/meta/whatsapp/threads/counts?workspaceId=${ws}`, stranger.token);
    assert.equal(foreign.statusCode, 404);
    assert.equal(foreign.json().error.code, 'workspace_not_found');
    const bad = await get(`/api/meta/whatsapp/threads/counts?workspaceId=${ws}&assignee=someone`);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().error.message, /assignee/);
    assert.equal((await app.inject({ method: 'GET', url: `/api/meta/whatsapp/threads/counts?workspaceId=${ws}` })).statusCode, 401);
  });

  it('GET /api/workspaces lists only the caller\'s workspaces with their role', async () => {
    const res = await get('/api/workspaces', owner.token);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().workspaces.map((w: { id: string; role: string }) => [w.id, w.role]), [[ws, 'owner']]);
    assert.deepEqual((await get('/api/workspaces', stranger.token)).json().workspaces.map((w: { id: string }) => w.id), [other]);
  });

  it('members of a workspace are listed for its members only, by email', async () => {
    const res = await get(`/api/workspaces/${ws}/members`);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().members, [
      { userId: agent.id, email: 'agent@counts.example', role: 'member' },
      { userId: owner.id, email: 'Owner@counts.example', role: 'owner' },
    ]);
    const foreign = await get(`/api/workspaces/${ws}/members`, stranger.token);
    assert.equal(foreign.statusCode, 404);
    assert.equal(foreign.json().error.code, 'workspace_not_found');
    assert.equal((await get('/api/workspaces/not-a-uuid/members')).statusCode, 400);
  });

  it('tags are listed with their thread counts, for members only', async () => {
    const res = await get(`/api/meta/whatsapp/tags?workspaceId=${ws}`);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().tags, [{ tag: 'urgent', threads: 7 }]);
    assert.equal((await get(`/api/meta/whatsapp/tags?workspaceId=${ws}`, stranger.token)).statusCode, 404);
  });

  it('GET one thread: 200 for a member, 404 for anyone else', async () => {
    const { rows: [row] } = await db.pool.query<{ id: string }>('select id from wa_threads where contact_wa_id = \'627009\'');
    const res = await get(`/api/meta/whatsapp/threads/${row!.id}`);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().lastMessagePreview, 'a 100% refund');
    const foreign = await get(`/api/meta/whatsapp/threads/${row!.id}`, stranger.token);
    assert.equal(foreign.statusCode, 404);
    assert.equal(foreign.json().error.code, 'thread_not_found');
  });
});
