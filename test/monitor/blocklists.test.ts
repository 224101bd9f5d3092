// Blocklists API (issue 14): list, add, remove for block_groups, block_senders, block_keywords;
// values normalized; field-named 400s with codes; 409 / 404; owner_audit_log rows in the same
// transaction; owners, ops and admins write, viewers read only; ingest honours every list.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ingestMessages } from '../../src/monitor/ingest/ingest.js';
import { testApp, testUser } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';
import { wa } from '../helpers/fake-wa.js';

describe('monitor blocklists API', async () => {
  const db = await freshDatabase();
  const { app, ctx } = await testApp(db, { OPS_ADMIN_EMAILS: 'admin@block.example' });
  const owner = await testUser(db, 'owner@block.example');
  const ops = await testUser(db, 'ops@block.example');
  const viewer = await testUser(db, 'viewer@block.example');
  const admin = await testUser(db, 'admin@block.example');
  const stranger = await testUser(db, 'stranger@block.example');
  await db.pool.query(`insert into owner_members (user_id, email, role) values ($1, $2, 'owner'), ($3, $4, 'ops'), ($5, $6, 'viewer')`,
    [owner.id, owner.email, ops.id, ops.email, viewer.id, viewer.email]);
  await db.pool.query('insert into platform_admins (user_id, email) values ($1, $2)', [admin.id, admin.email]);

  type User = typeof owner;
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, user: User = owner, payload?: object) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${user.token}` }, ...(payload ? { payload } : {}) });
  const audits = async () => (await db.pool.query(
    `select action, actor_email, target_table, target_id, before_data, after_data from owner_audit_log where action like 'monitor.blocklist.%' order by created_at, id`)).rows;

  it('add, list and remove on each list, each change audited with who made it', async () => {
    const cases: [string, string, string][] = [
      ['groups', '120363000000000001@g.us', '120363000000000001@g.us'],
      ['senders', '+62 811-1234-567', '628111234567'],
      ['keywords', 'Crypto Giveaway', 'crypto giveaway'],
    ];
    for (const [kind, input, stored] of cases) {
      const added = await call('POST', `/api/monitor/blocklists/${kind}`, ops, { value: input, reason: '  spam  ' });
      assert.equal(added.statusCode, 201, added.body);
      const { createdAt, ...rest } = added.json() as { createdAt: string; value: string; reason: string };
      assert.ok(Date.parse(createdAt) > 0);
      assert.deepEqual(rest, { value: stored, reason: 'spam' });
      const list = await call('GET', `/api/monitor/blocklists/${kind}`, viewer);
      assert.equal(list.statusCode, 200);
      assert.deepEqual(list.json().items.map((i: { value: string }) => i.value), [stored]);
      const removed = await call('DELETE', `/api/monitor/blocklists/${kind}/${encodeURIComponent(input)}`, owner);
      assert.equal(removed.statusCode, 200, removed.body);
      assert.deepEqual((await call('GET', `/api/monitor/blocklists/${kind}`)).json().items, []);
    }
    const rows = await audits();
    assert.deepEqual(rows.map((r) => [r.action, r.actor_email, r.target_table, r.target_id]), [
      ['monitor.blocklist.added', ops.email, 'block_groups', '120363000000000001@g.us'],
      ['monitor.blocklist.removed', owner.email, 'block_groups', '120363000000000001@g.us'],
      ['monitor.blocklist.added', ops.email, 'block_senders', '628111234567'],
      ['monitor.blocklist.removed', owner.email, 'block_senders', '628111234567'],
      ['monitor.blocklist.added', ops.email, 'block_keywords', 'crypto giveaway'],
      ['monitor.blocklist.removed', owner.email, 'block_keywords', 'crypto giveaway'],
    ]);
    assert.equal(rows[0].after_data.reason, 'spam');
    assert.equal(rows[1].before_data.value, '120363000000000001@g.us');
  });

  it('senders: a phone jid is stored as its number, a lid as <digits>@lid', async () => {
    const jid = await call('POST', '/api/monitor/blocklists/senders', owner, { value: '5511988887777:3@s.whatsapp.net' });
    assert.equal(jid.json().value, '5511988887777');
    const lid = await call('POST', '/api/monitor/blocklists/senders', owner, { value: '204318123456789@lid' });
    assert.equal(lid.json().value, '204318123456789@lid');
    assert.equal(lid.json().reason, null);
    assert.equal((await call('DELETE', '/api/monitor/blocklists/senders/204318123456789%40lid')).statusCode, 200);
    assert.equal((await call('DELETE', '/api/monitor/blocklists/senders/5511988887777')).statusCode, 200);
  });

  it('bad input is a 400 that names the field, with a code; a duplicate is 409, removing what is absent 404', async () => {
    const bad: [string, object, string, RegExp][] = [
      ['groups', { value: 'not a group' }, 'invalid_group_id', /value/],
      ['groups', {}, 'invalid_input', /value/],
      ['senders', { value: 'abc' }, 'invalid_sender', /value/],
      ['senders', { value: '12@lid' }, 'invalid_sender', /value/],
      ['keywords', { value: '   ' }, 'invalid_input', /value/],
      ['keywords', { value: 'x'.repeat(150) }, 'invalid_keyword', /value/],
      ['keywords', { value: 'ok', reason: 'r'.repeat(501) }, 'invalid_input', /reason/],
      ['keywords', { value: 'ok', reason: 5 }, 'invalid_input', /reason/],
    ];
    for (const [kind, body, code, field] of bad) {
      const res = await call('POST', `/api/monitor/blocklists/${kind}`, owner, body);
      assert.equal(res.statusCode, 400, `${kind} ${JSON.stringify(body)}: ${res.body}`);
      assert.equal(res.json().error.code, code, JSON.stringify(body));
      assert.match(res.json().error.message, field, JSON.stringify(body));
    }
    assert.equal((await call('POST', '/api/monitor/blocklists/keywords', owner, { value: 'promo' })).statusCode, 201);
    const dup = await call('POST', '/api/monitor/blocklists/keywords', admin, { value: 'PROMO' });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().error.code, 'already_blocked');
    const missing = await call('DELETE', '/api/monitor/blocklists/keywords/nothing-here');
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'not_blocked');
    assert.equal((await call('DELETE', '/api/monitor/blocklists/groups/bogus')).json().error.code, 'invalid_group_id');
    assert.equal((await call('DELETE', '/api/monitor/blocklists/keywords/promo')).statusCode, 200);
  });

  it('viewers read but may not write (403 before the body is even validated); strangers get nothing', async () => {
    assert.equal((await call('GET', '/api/monitor/blocklists/senders', viewer)).statusCode, 200);
    for (const body of [{ value: '628111' }, {}]) {
      const res = await call('POST', '/api/monitor/blocklists/senders', viewer, body);
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(res.json().error.code, 'not_monitor_owner');
    }
    assert.equal((await call('DELETE', '/api/monitor/blocklists/senders/628111', viewer)).statusCode, 403);
    assert.equal((await call('GET', '/api/monitor/blocklists/groups', stranger)).statusCode, 403);
    assert.equal((await app.inject({ method: 'GET', url: '/api/monitor/blocklists/groups' })).statusCode, 401);
    assert.equal((await call('POST', '/api/monitor/blocklists/groups', admin, { value: '120363000000000009@g.us' })).statusCode, 201);
    // A viewer sees no controls: the status says what the caller may do.
    assert.equal((await call('GET', '/api/monitor/status', viewer)).json().canManage, false);
    assert.equal((await call('GET', '/api/monitor/status', ops)).json().canManage, true);
    assert.equal((await call('GET', '/api/monitor/status', admin)).json().canManage, true);
  });

  it('what the API blocks, ingest drops: a group, a sender by number, a keyword', async () => {
    const G = '120363000000000010@g.us';
    const B = '120363000000000011@g.us';
    await db.pool.query(`insert into groups (wa_group_id, name, monitor) values ($1, 'Open', true), ($2, 'Blocked', true)`, [G, B]);
    await call('POST', '/api/monitor/blocklists/groups', owner, { value: B });
    await call('POST', '/api/monitor/blocklists/senders', owner, { value: '+55 11 97777-0000' });
    await call('POST', '/api/monitor/blocklists/keywords', owner, { value: 'FREE MONEY' });
    const t = 1_760_000_000;
    const deps = { pool: db.pool, store: ctx.mediaStore, mediaMaxBytes: 1000, download: () => Promise.reject(new Error('no media')) };
    const kept = wa.text(G, '5511900000000@s.whatsapp.net', 'kept', t);
    const result = await ingestMessages(deps, [
      kept,
      wa.text(B, '5511900000000@s.whatsapp.net', 'blocked group', t + 1),
      wa.text(G, '5511977770000:4@s.whatsapp.net', 'blocked sender', t + 2),
      wa.text(G, '5511900000000@s.whatsapp.net', 'get Free Money now', t + 3),
    ]);
    assert.deepEqual([result.stored, result.filtered], [1, 3]);
    assert.deepEqual((await db.pool.query('select text from messages')).rows, [{ text: 'kept' }]);
    await ingestMessages(deps, [kept]); // a replay is not counted twice
    const groups = (await call('GET', '/api/monitor/groups?blocked=true')).json().items;
    assert.deepEqual(groups.map((g: { name: string }) => g.name), ['Blocked']);
    const open = (await call('GET', '/api/monitor/groups?blocked=false&q=open')).json().items[0];
    assert.equal(open.messageCount, 1);
    assert.equal(open.lastMessageAt, new Date(t * 1000).toISOString());
  });
});
