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

  it('a search or tag past the cap is capped whether it is counted in one pass (≤ 10,000 matches) or per status', async () => {
    const wide = await createWorkspace(db.pool, 'counts-wide', [agent.id]);
    // 10,050 threads named "Bulk …": open for i ≤ 1,500, pending up to 10,020, closed after; the
    // first 1,200 tagged 'many'. "bulk 1" matches 1,111 threads (one pass); "bulk" matches all.
    await db.pool.query(`insert into wa_threads (workspace_id, phone_number_id, contact_wa_id, contact_name, status)
      select $1, 'PN-W', '62500' || i, 'Bulk ' || i, case when i <= 1500 then 'open' when i <= 10020 then 'pending' else 'closed' end
      from generate_series(1, 10050) i`, [wide]);
    await db.pool.query('insert into wa_thread_tags (thread_id, workspace_id, tag) select id, workspace_id, \'many\' from wa_threads where workspace_id = $1 and substr(contact_wa_id, 6)::int <= 1200', [wide]);
    const wideCounts = async (query: string) => (await get(`/api/meta/whatsapp/threads/counts?workspaceId=${wide}${query}`)).json();
    const capped = (open: boolean, pending: boolean, closed: boolean) => ({ open, pending, closed, all: open || pending || closed });
    assert.deepEqual(await wideCounts('&q=bulk'), { open: 1000, pending: 1000, closed: 30, all: 2030, capped: capped(true, true, false) });
    // "bulk 1": 1, 10–19, 100–199, 1000–1999, 10000–10050 → open 1+10+100+501, pending 499+21, closed 30.
    assert.deepEqual(await wideCounts('&q=bulk%201'), { open: 612, pending: 520, closed: 30, all: 1162, capped: capped(false, false, false) });
    assert.deepEqual(await wideCounts('&tag=many'), { open: 1000, pending: 0, closed: 0, all: 1000, capped: capped(true, false, false) });
    assert.deepEqual(await wideCounts('&tag=many&q=bulk%2011'), { open: 111, pending: 0, closed: 0, all: 111, capped: capped(false, false, false) });
  });

  it('a tag\'s counts follow its threads\' status, however the tag or the status was written', async () => {
    const tagged = await listed('&tag=urgent');
    const before = await counts('&tag=urgent');
    const first = tagged.find((t) => t.status === 'open') as { id: string } | undefined;
    assert.ok(first);
    const patch = await app.inject({ method: 'PATCH', url: `/api/meta/whatsapp/threads/${first.id}`, headers: { authorization: `Bearer ${agent.token}` }, payload: { status: 'closed' } });
    assert.equal(patch.statusCode, 200, patch.body);
    const after = await counts('&tag=urgent');
    assert.equal(after.open, before.open - 1);
    assert.equal(after.closed, before.closed + 1);
    // A status written straight into the tag row (a Supabase client can) is replaced by the thread's.
    await db.pool.query('update wa_thread_tags set status = \'pending\' where thread_id = $1', [first.id]);
    assert.deepEqual(await counts('&tag=urgent'), after);
    // A tag added later starts with its thread's status.
    const patchTags = await app.inject({ method: 'PATCH', url: `/api/meta/whatsapp/threads/${first.id}`, headers: { authorization: `Bearer ${agent.token}` }, payload: { tags: ['urgent', 'later'], status: 'open' } });
    assert.equal(patchTags.statusCode, 200, patchTags.body);
    assert.deepEqual(await counts('&tag=later'), { open: 1, pending: 0, closed: 0, all: 1, capped: { open: false, pending: false, closed: false, all: false } });
    assert.deepEqual(await counts('&tag=urgent'), before);
    await app.inject({ method: 'PATCH', url: `/api/meta/whatsapp/threads/${first.id}`, headers: { authorization: `Bearer ${agent.token}` }, payload: { tags: ['urgent'] } });
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
