// Group monitor API: seed 001's acceptance item (messages joined with media and a valid signed URL),
// filters and paging, access, session status and QR, worker requests, groups, activity.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { ingestMessages } from '../../src/monitor/ingest/ingest.js';
import { testApp, testUser } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';
import { fakeConnector, wa } from '../helpers/fake-wa.js';
import { tempDir } from '../helpers/tmp.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('group monitor API', async () => {
  const db = await freshDatabase();
  const storageDir = tempDir('wabase-media-');
  const env = { STORAGE_LOCAL_DIR: storageDir, OPS_ADMIN_EMAILS: 'admin@monitor.example', MONITOR_FLAG_INTERVAL_SECONDS: '30' };
  const { app, ctx } = await testApp(db, env);
  const owner = await testUser(db, 'owner@monitor.example');
  const viewer = await testUser(db, 'viewer@monitor.example');
  const admin = await testUser(db, 'admin@monitor.example');
  const stranger = await testUser(db, 'stranger@monitor.example');
  await db.pool.query(`insert into owner_members (user_id, email, role) values ($1, $2, 'owner'), ($3, $4, 'viewer')`, [owner.id, owner.email, viewer.id, viewer.email]);
  await db.pool.query('insert into platform_admins (user_id, email) values ($1, $2)', [admin.id, admin.email]);

  const G1 = '120363111000000001@g.us';
  const G2 = '120363111000000002@g.us';
  const inserted = await db.pool.query(
    `insert into groups (wa_group_id, name, monitor) values ($1, 'Sales floor', true), ($2, 'Warehouse', true) returning wa_group_id, id`, [G1, G2]);
  const groupIds = Object.fromEntries(inserted.rows.map((r) => [r.wa_group_id, r.id]));
  const fake = fakeConnector();
  const photoBytes = randomBytes(5000);
  const photo = wa.image(G1, '1@s.whatsapp.net', 1_760_000_100, { caption: 'new shelf layout' });
  fake.media.set(photo.key.id!, photoBytes);
  const t = 1_760_000_000;
  // 30 texts in G1, 5 of them sharing one timestamp; 10 in G2.
  const texts = [
    ...Array.from({ length: 30 }, (_, i) => wa.text(G1, '2@s.whatsapp.net', i % 3 ? `note ${i}` : `invoice ${i} paid`, i < 5 ? t + 50 : t + i)),
    ...Array.from({ length: 10 }, (_, i) => wa.text(G2, '3@s.whatsapp.net', `pallet ${i}`, t + i)),
  ];
  const fetchMedia = (m: Parameters<typeof fake.connector.download>[1]) => fake.connector.download(null as never, m);
  await ingestMessages({ pool: db.pool, store: ctx.mediaStore, mediaMaxBytes: 1_000_000, download: fetchMedia }, [photo, ...texts]);

  const get = (url: string, user = owner) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${user.token}` } });
  const post = (url: string, payload: object | undefined, user = owner) =>
    app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${user.token}` }, ...(payload ? { payload } : {}) });
  const download = (url: string) => app.inject({ method: 'GET', url: url.replace(/^https?:\/\/[^/]+/, '') });

  it('GET /api/messages (via API) can join media and return a valid signed URL', async () => {
    const res = await get(`/api/messages?groupId=${groupIds[G1]}&kind=image`);
    assert.equal(res.statusCode, 200, res.body);
    const [item] = res.json().items;
    assert.equal(item.waMsgId, photo.key.id);
    assert.equal(item.groupName, 'Sales floor');
    assert.equal(item.media.mime, 'image/jpeg');
    assert.equal(item.media.bytes, 5000);
    const file = await download(item.media.url);
    assert.equal(file.statusCode, 200);
    assert.deepEqual(file.rawPayload, photoBytes, 'the signed URL downloads the exact bytes');
    // SIGNED_URL_TTL_DAYS (7), rounded down to the hour so a re-read signs the same URL.
    const days = (Date.parse(item.media.expiresAt) - Date.now()) / 86_400_000;
    assert.ok(days > 7 - 1 / 24 - 0.001 && days <= 7, `TTL ${days} days`);
    assert.equal(Date.parse(item.media.expiresAt) % 3_600_000, 0);
    const again = (await get(`/api/messages?groupId=${groupIds[G1]}&kind=image`)).json().items[0];
    assert.equal(again.media.url, item.media.url, 'the same URL within the hour: the browser\'s cached copy serves it');
    assert.match(String(file.headers['cache-control']), /^private, max-age=(\d+), immutable$/);
    assert.ok(Number(/max-age=(\d+)/.exec(String(file.headers['cache-control']))![1]) <= 3600);
  });

  it('a tampered or expired signed URL does not download', async () => {
    const url: string = (await get(`/api/messages?kind=image`)).json().items[0].media.url;
    const tampered = url.slice(0, -3) + (url.at(-3) === 'x' ? 'y' : 'x') + url.slice(-2);
    assert.equal((await download(tampered)).statusCode, 403);
    const other = url.replace(/wa-media\/[0-9a-f]{64}/, `wa-media/${'0'.repeat(64)}`);
    assert.equal((await download(other)).statusCode, 403);
    const short = await testApp(db, { ...env, SIGNED_URL_TTL_DAYS: '0.00001' });
    const expiring: string = (await short.app.inject({ method: 'GET', url: '/api/messages?kind=image', headers: { authorization: `Bearer ${owner.token}` } })).json().items[0].media.url;
    assert.equal((await download(expiring)).statusCode, 200);
    await sleep(2100);
    const expired = await download(expiring);
    assert.equal(expired.statusCode, 403);
    assert.equal(expired.json().error.code, 'token_expired');
  });

  it('newest first; before pages through ties without skipping or repeating', async () => {
    const seen: string[] = [];
    let before: string | null = null;
    do {
      const page: { items: { waMsgId: string; ts: string }[]; nextBefore: string | null } = (await get(`/api/messages?groupId=${groupIds[G1]}&limit=4${before ? `&before=${encodeURIComponent(before)}` : ''}`)).json();
      seen.push(...page.items.map((m) => m.waMsgId));
      const ts: number[] = page.items.map((m) => Date.parse(m.ts));
      assert.deepEqual(ts, [...ts].sort((a, b) => b - a));
      before = page.nextBefore;
    } while (before);
    assert.equal(seen.length, 31);
    assert.equal(new Set(seen).size, 31);
    const byTime = (await get(`/api/messages?groupId=${groupIds[G1]}&before=${new Date((t + 10) * 1000).toISOString()}`)).json();
    assert.ok(byTime.items.every((m: { ts: string }) => Date.parse(m.ts) < (t + 10) * 1000));
    assert.equal(byTime.items.length, 5); // t+5 .. t+9
  });

  it('filters: kind, q (case-insensitive, wildcards literal), groupId', async () => {
    const invoices = (await get('/api/messages?q=INVOICE&limit=200')).json().items;
    assert.equal(invoices.length, 10);
    assert.ok(invoices.every((m: { text: string }) => m.text.includes('invoice')));
    assert.equal((await get('/api/messages?q=%25&limit=200')).json().items.length, 0);
    assert.equal((await get(`/api/messages?groupId=${groupIds[G2]}&limit=200`)).json().items.length, 10);
    assert.equal((await get('/api/messages?kind=text&limit=200')).json().items.length, 40);
    assert.equal((await get('/api/messages?kind=video')).json().items.length, 0);
  });

  it('bad input is a 400 naming the field; an unknown group is a 404', async () => {
    // "1" and a year past PostgreSQL's range are dates to JavaScript, not to PostgreSQL.
    for (const [query, field] of [['limit=201', 'limit'], ['kind=gif', 'kind'], ['groupId=nope', 'groupId'], ['before=yesterday', 'before'],
      ['before=1', 'before'], ['before=%2B275760-01-01T00:00:00Z', 'before']]) {
      const res = await get(`/api/messages?${query}`);
      assert.equal(res.statusCode, 400, query);
      assert.match(res.json().error.message, new RegExp(field!), query);
    }
    const res = await get(`/api/messages?groupId=${'1'.repeat(8)}-1111-4111-8111-${'1'.repeat(12)}`);
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'group_not_found');
  });

  it('owners and platform admins only; viewers read but cannot act', async () => {
    assert.equal((await app.inject({ method: 'GET', url: '/api/messages' })).statusCode, 401);
    const refused = await get('/api/messages', stranger);
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().error.code, 'not_monitor_owner');
    assert.equal((await get('/api/monitor/status', admin)).statusCode, 200);
    assert.equal((await get('/api/monitor/groups', viewer)).statusCode, 200);
    assert.equal((await post(`/api/monitor/groups/${groupIds[G1]}/toggle`, { monitor: false }, viewer)).statusCode, 403);
    // The QR decides which WhatsApp account gets archived: a viewer may not read it, an owner and an admin may.
    assert.equal((await get('/api/monitor/qr', viewer)).statusCode, 403);
    assert.equal((await get('/api/monitor/qr', admin)).statusCode, 200);
    assert.equal((await get('/api/monitor/qr', owner)).statusCode, 200);
    assert.equal((await post('/api/monitor/fetch-groups-now', undefined, stranger)).statusCode, 403);
    // A platform_admins row without the allowlist is not enough.
    await db.pool.query('insert into platform_admins (user_id, email) values ($1, $2)', [stranger.id, stranger.email]);
    assert.equal((await get('/api/messages', stranger)).statusCode, 403);
  });

  it('status and QR come from the wa_sessions row; an expired QR is not shown', async () => {
    const status = (await get('/api/monitor/status')).json();
    assert.equal(status.status, 'disconnected');
    assert.deepEqual(status.groups, { total: 2, monitored: 2 });
    assert.ok(status.pendingFlags.includes('fetch_groups_requested'), 'the seed asks for a first discovery');
    const expiresAt = new Date(Date.now() + 20_000).toISOString();
    await db.pool.query(`update wa_sessions set status = 'connecting', detail = $1`, [JSON.stringify({ qr: '2@abc', expiresAt })]);
    assert.deepEqual((await get('/api/monitor/qr')).json(), { status: 'connecting', qr: '2@abc', expiresAt });
    await db.pool.query(`update wa_sessions set detail = $1`, [JSON.stringify({ qr: '2@abc', expiresAt: new Date(Date.now() - 1000).toISOString() })]);
    assert.deepEqual((await get('/api/monitor/qr')).json(), { status: 'connecting', qr: null, expiresAt: null });
    assert.equal((await get('/api/monitor/status')).json().qrAvailable, false);
  });

  it('each worker request writes its runtime flag {at}; repeated too fast it is a 429', async () => {
    for (const [url, key] of [['/api/monitor/wa/refresh-qr', 'wa_refresh_qr_requested'], ['/api/monitor/wa/disconnect', 'wa_disconnect_requested'], ['/api/monitor/fetch-groups-now', 'fetch_groups_requested']]) {
      const res = await post(url!, undefined);
      assert.equal(res.statusCode, 202, res.body);
      assert.equal(res.json().key, key);
      const row = (await db.pool.query('select value from runtime_flags where key = $1', [key])).rows[0];
      assert.equal(Date.parse(row.value.at), Date.parse(res.json().at));
      const again = await post(url!, undefined, admin);
      assert.equal(again.statusCode, 429);
      assert.ok(Number(again.headers['retry-after']) >= 1);
    }
  });

  it('groups: search by name, monitor filter, paging; toggle is the only writer of monitor', async () => {
    assert.deepEqual((await get('/api/monitor/groups?q=ware')).json().items.map((g: { name: string }) => g.name), ['Warehouse']);
    const page = (await get('/api/monitor/groups?limit=1&offset=1')).json();
    assert.equal(page.total, 2);
    assert.deepEqual(page.items.map((g: { name: string }) => g.name), ['Warehouse']);
    const off = await post(`/api/monitor/groups/${groupIds[G2]}/toggle`, { monitor: false });
    assert.equal(off.statusCode, 200, off.body);
    assert.equal(off.json().monitor, false);
    assert.deepEqual((await get('/api/monitor/groups?monitor=true')).json().items.map((g: { name: string }) => g.name), ['Sales floor']);
    const bad = await post(`/api/monitor/groups/${groupIds[G2]}/toggle`, { monitor: 'yes' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().error.message, /monitor/);
    assert.equal((await post(`/api/monitor/groups/${'2'.repeat(8)}-2222-4222-8222-${'2'.repeat(12)}/toggle`, { monitor: true })).statusCode, 404);
    assert.equal((await post('/api/monitor/groups/not-a-uuid/toggle', { monitor: true })).statusCode, 400);
  });

  it('a group\'s rename history comes from its group_rename audit rows, newest first; groups carry message counts', async () => {
    await db.pool.query(`insert into audit_log (kind, detail, at) values
      ('group_rename', jsonb_build_object('from', 'Sales', 'to', 'Sales team', 'wa_group_id', $1::text), now() - interval '2 minutes'),
      ('group_rename', jsonb_build_object('from', 'Sales team', 'to', 'Sales floor', 'wa_group_id', $1::text), now() - interval '1 minute'),
      ('group_rename', jsonb_build_object('from', 'X', 'to', 'Y', 'wa_group_id', $2::text), now())`, [G1, G2]);
    const res = await get(`/api/monitor/groups/${groupIds[G1]}/renames`);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().items.map((r: { from: string; to: string }) => `${r.from} → ${r.to}`), ['Sales team → Sales floor', 'Sales → Sales team']);
    assert.equal((await get(`/api/monitor/groups/${'3'.repeat(8)}-3333-4333-8333-${'3'.repeat(12)}/renames`)).statusCode, 404);
    assert.match((await get('/api/monitor/groups/nope/renames')).json().error.message, /id/);
    const sales = (await get('/api/monitor/groups?q=sales')).json().items[0];
    assert.equal(sales.messageCount, 31);
    assert.equal(sales.lastMessageAt, new Date(1_760_000_100 * 1000).toISOString());
  });

  it('activity: the audit log newest first, by kind, paged', async () => {
    await db.pool.query(`insert into audit_log (kind, detail, at) select 'connect', jsonb_build_object('n', g), now() - g * interval '1 second' from generate_series(1, 7) g`);
    const all = (await get('/api/monitor/activity?kind=connect&limit=5')).json();
    assert.deepEqual(all.items.map((e: { detail: { n: number } }) => e.detail.n), [1, 2, 3, 4, 5]);
    const next = (await get(`/api/monitor/activity?kind=connect&limit=5&before=${encodeURIComponent(all.nextBefore)}`)).json();
    assert.deepEqual(next.items.map((e: { detail: { n: number } }) => e.detail.n), [6, 7]);
    assert.equal(next.nextBefore, null);
    assert.ok((await get('/api/monitor/activity')).json().items.some((e: { kind: string }) => e.kind === 'ingest'));
  });

  it('a group page is served by the (chat_id, ts desc) index; kind filters, with or without a group, by (kind, ts) indexes', async () => {
    const plan = async (sql: string, params: unknown[]) => {
      const client = await db.pool.connect();
      try {
        // Enough rows for the planner's choice to mean something: 100 chats, one message in 50 a
        // document, as in a real archive; all of it rolled back.
        await client.query(`begin;
          insert into messages (wa_msg_id, ts, chat_id, sender, kind, text)
          select 'PLAN' || g, now() - g * interval '1 minute', 'chat' || (g / 7 % 100) || '@g.us', 's@s.whatsapp.net',
                 case when g % 50 = 0 then 'doc' else 'text' end, 'x'
            from generate_series(1, 40000) g;
          analyze messages`);
        return (await client.query(`explain ${sql}`, params)).rows.map((r) => r['QUERY PLAN']).join('\n');
      } finally {
        await client.query('rollback');
        client.release();
      }
    };
    assert.match(await plan('select * from messages where chat_id = $1 order by ts desc limit 50', ['chat3@g.us']), /messages_chat_ts_idx/);
    assert.match(await plan('select * from messages where kind = $1 order by ts desc limit 50', ['doc']), /messages_kind_ts_idx/);
    assert.match(await plan('select * from messages where chat_id = $1 and kind = $2 order by ts desc limit 50', ['chat3@g.us', 'doc']), /messages_chat_kind_ts_idx/);
  });
});
