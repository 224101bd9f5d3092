// Issue 16, what held: every text filter is a parameter, never SQL, and its LIKE wildcards are
// literal: a `%` finds only a `%`, a `_` only a `_`, a `\` only a `\`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testApp, testUser } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';
import { createWorkspace, one } from '../helpers/sql.js';

/** What each filter searches, with look-alikes that a wildcard would wrongly match. */
const NAMES = ['100% cotton', '100 cotton', 'a_b shop', 'aXb shop', 'back\\slash', 'back/slash', 'o\'brien', 'obrien', 'plain'];
/** Wildcards, escapes, quotes and classic injections. */
const PROBES = [
  '%', '_', '\\', 'a_b', '0%', '%%', '\\%', '\\_', '%_%', '\'', 'o\'b', '*', '.*', '[a-z]', '$1', '?',
  '\' or \'1\'=\'1', '\'; drop table public.workspaces; --', '%\' or 1=1 --', '") or true --', 'x\' union select null--',
];
/** A contains search, as the filters promise: case-insensitive, every character literal. */
const contains = (q: string) => NAMES.filter((name) => name.toLowerCase().includes(q.toLowerCase())).sort();

describe('text filters: no injection, wildcards are literal', async () => {
  const db = await freshDatabase();
  const admin = await testUser(db, 'admin@injection.example');
  await db.pool.query('insert into platform_admins (user_id, email) values ($1, $2)', [admin.id, admin.email]);
  const { app } = await testApp(db, { OPS_ADMIN_EMAILS: admin.email });
  const ws = await createWorkspace(db.pool, 'injection-inbox', [admin.id]);
  // The inbox workspace is named so that no probe finds it in the ops search.
  await db.pool.query('update workspaces set name = \'zzz\' where id = $1', [ws]);
  for (const [i, name] of NAMES.entries()) {
    await db.pool.query('insert into workspaces (slug, name) values ($1, $2)', [`inj-${i}`, name]);
    const thread = await one<{ id: string }>(db.pool,
      'insert into wa_threads (workspace_id, phone_number_id, contact_wa_id, contact_name) values ($1, \'PN-INJ\', $2, $3) returning id', [ws, `wa${'x'.repeat(i)}`, name]);
    await db.pool.query('insert into wa_thread_tags (thread_id, workspace_id, tag) values ($1, $2, $3)', [thread.id, ws, name]);
    await db.pool.query('insert into groups (wa_group_id, name) values ($1, $2)', [`12036300000${i}@g.us`, name]);
    await db.pool.query('insert into messages (wa_msg_id, ts, chat_id, sender, kind, text) values ($1, now(), $2, \'1@s.whatsapp.net\', \'text\', $3)',
      [`INJ${i}`, `12036300000${i}@g.us`, name]);
  }

  const get = async (url: string) => {
    const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${admin.token}` } });
    assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
    return res.json();
  };
  const q = encodeURIComponent;
  /** Each text filter: the URL for a search, and the names it found. */
  const filters: [string, (text: string) => Promise<string[]>][] = [
    ['threads q', async (text) => (await get(`/api/meta/whatsapp/threads?workspaceId=${ws}&limit=100&q=${q(text)}`)).threads.map((t: { contactName: string }) => t.contactName)],
    ['ops workspace search', async (text) => (await get(`/api/ops/workspaces?limit=100&q=${q(text)}`)).items.map((w: { name: string }) => w.name)],
    ['monitor groups q', async (text) => (await get(`/api/monitor/groups?limit=200&q=${q(text)}`)).items.map((g: { name: string }) => g.name)],
    ['monitor messages q', async (text) => (await get(`/api/messages?limit=200&q=${q(text)}`)).items.map((m: { text: string }) => m.text)],
  ];

  it('these are all the text filters the API has (a new one fails here until it is covered)', async () => {
    await app.ready();
    type Param = { in: string; name: string; schema?: { type?: string; enum?: unknown; format?: string } };
    const doc = app.swagger() as { paths: Record<string, Record<string, { parameters?: Param[] }>> };
    // Compared or verified, never searched: keyset cursors (before, cursor: paging tests and below), the webhook handshake, a media token.
    const notSearched = new Set(['before', 'cursor', 'hub.mode', 'hub.verify_token', 'hub.challenge', 'token']);
    const text = Object.entries(doc.paths).flatMap(([path, operations]) => Object.values(operations).flatMap((operation) =>
      (operation.parameters ?? []).filter((p) => p.in === 'query' && p.schema?.type === 'string' && !p.schema.enum && !p.schema.format && !notSearched.has(p.name))
        .map((p) => `${path} ${p.name}`)));
    assert.deepEqual(text.sort(), [
      '/api/messages q', '/api/meta/whatsapp/threads q', '/api/meta/whatsapp/threads tag',
      '/api/meta/whatsapp/threads/counts q', '/api/meta/whatsapp/threads/counts tag', '/api/monitor/groups q', '/api/ops/workspaces q',
    ]);
  });

  for (const [filter, search] of filters) {
    it(`${filter}: each probe finds exactly the names that contain it literally`, async () => {
      assert.deepEqual((await search('cotton')).sort(), ['100 cotton', '100% cotton'], 'the filter works at all');
      for (const probe of PROBES) assert.deepEqual((await search(probe)).sort(), contains(probe), `${filter} q=${JSON.stringify(probe)}`);
    });
  }

  it('threads tag: an exact match, quotes and wildcards included', async () => {
    const tagged = async (tag: string) =>
      (await get(`/api/meta/whatsapp/threads?workspaceId=${ws}&limit=100&tag=${q(tag)}`)).threads.map((t: { contactName: string }) => t.contactName);
    for (const name of NAMES) assert.deepEqual(await tagged(name), [name], `tag=${JSON.stringify(name)}`);
    for (const probe of PROBES) assert.deepEqual(await tagged(probe), NAMES.includes(probe) ? [probe] : [], `tag=${JSON.stringify(probe)}`);
  });

  it('thread counts q and tag: the same literal matches as the list (counted)', async () => {
    const counted = async (param: string, value: string) => (await get(`/api/meta/whatsapp/threads/counts?workspaceId=${ws}&${param}=${q(value)}`)).all as number;
    for (const probe of PROBES) {
      assert.equal(await counted('q', probe), contains(probe).length, `counts q=${JSON.stringify(probe)}`);
      assert.equal(await counted('tag', probe), NAMES.includes(probe) ? 1 : 0, `counts tag=${JSON.stringify(probe)}`);
    }
  });

  it('a crafted cursor or page value is a 400 invalid_input, never a 500', async () => {
    const cursor = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const bad = [
      `/api/meta/whatsapp/threads?workspaceId=${ws}&cursor=${cursor({ at: '2026-01-01\' or 1=1 --', id: '00000000-0000-0000-0000-000000000000' })}`,
      `/api/meta/whatsapp/threads?workspaceId=${ws}&cursor=${cursor({ at: '2026-01-01', id: '1 or 1=1' })}`,
      `/api/meta/whatsapp/threads?workspaceId=${q('\' or 1=1 --')}`,
      `/api/messages?before=${q('2026-01-01\'; drop table messages; --')}`,
      `/api/ops/workspaces?limit=${q('1; drop table workspaces')}`,
      `/api/monitor/groups?offset=${q('0 or 1=1')}`,
    ];
    for (const url of bad) {
      const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${admin.token}` } });
      assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
      assert.equal(res.json().error.code, 'invalid_input');
    }
  });

  it('a NUL character in a filter is a 400, not a database error', async () => {
    for (const url of [`/api/meta/whatsapp/threads?workspaceId=${ws}&q=a%00b`, '/api/ops/workspaces?q=a%00b', '/api/monitor/groups?q=a%00b', '/api/messages?q=a%00b']) {
      const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${admin.token}` } });
      assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
    }
  });

  it('the tables are all still there, with every row', async () => {
    const counts = await one(db.pool, `select (select count(*)::int from workspaces) as workspaces, (select count(*)::int from wa_threads) as threads,
      (select count(*)::int from groups) as groups, (select count(*)::int from messages) as messages`);
    assert.deepEqual(counts, { workspaces: NAMES.length + 1, threads: NAMES.length, groups: NAMES.length, messages: NAMES.length });
  });
});
