// Seed 001 (BP-DB) §10 Acceptance Criteria, item by item. The API item (GET /api/messages with a
// signed URL) belongs to the group monitor's tests.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readCatalog } from '../../src/migrate/catalog.js';
import { freshDatabase } from '../helpers/db.js';
import { one } from '../helpers/sql.js';

const initFile = path.join(import.meta.dirname, '../../supabase/migrations/20260201000000_group_monitor_init.sql');

describe('seed 001 acceptance criteria', async () => {
  const db = await freshDatabase();

  it('running 0001_init.sql twice yields no errors (idempotent)', async () => {
    const sql = fs.readFileSync(initFile, 'utf8');
    const before = await readCatalog(db.pool);
    await db.pool.query(sql);
    await db.pool.query(sql);
    assert.deepEqual(await readCatalog(db.pool), before);
  });

  it('uuid-ossp + pg_trgm extensions exist', async () => {
    const rows = (await db.pool.query('select extname from pg_extension where extname in (\'uuid-ossp\', \'pg_trgm\') order by 1')).rows;
    assert.deepEqual(rows.map((row) => row.extname), ['pg_trgm', 'uuid-ossp']);
  });

  it('all tables and indexes exist (as defined)', async () => {
    const tables = ['groups', 'media', 'messages', 'message_tags', 'block_groups', 'block_senders', 'block_keywords',
      'audit_log', 'wa_sessions', 'google_tokens', 'runtime_flags'];
    const indexes = ['groups_monitor_idx', 'groups_last_seen_ts_idx', 'groups_name_trgm_idx', 'media_phash_idx', 'media_ocr_trgm',
      'media_asr_trgm', 'messages_chat_ts_idx', 'messages_text_trgm', 'messages_kind_idx', 'messages_group_idx', 'messages_ts_idx',
      'message_tags_tag_idx', 'audit_log_at_desc_idx', 'audit_log_kind_idx', 'wa_sessions_status_idx',
      'wa_sessions_last_status_at_idx', 'google_tokens_email_idx'];
    const foundTables = (await db.pool.query('select tablename from pg_tables where schemaname = \'public\'')).rows.map((r) => r.tablename);
    for (const table of tables) assert.ok(foundTables.includes(table), `table ${table}`);
    const foundIndexes = (await db.pool.query('select indexname from pg_indexes where schemaname = \'public\'')).rows.map((r) => r.indexname);
    for (const index of indexes) assert.ok(foundIndexes.includes(index), `index ${index}`);
    const view = await one(db.pool, 'select count(*)::int as n from pg_views where viewname = \'messages_latest_per_group\'');
    assert.equal(view.n, 1);
  });

  it('wa_sessions has at most 1 row (seeded disconnected); a second insert fails', async () => {
    const rows = (await db.pool.query('select status from public.wa_sessions')).rows;
    assert.deepEqual(rows, [{ status: 'disconnected' }]);
    await assert.rejects(db.pool.query('insert into public.wa_sessions (status) values (\'connecting\')'), { code: '23505' });
  });

  it('bucket wa-media exists and is private', async () => {
    const bucket = await one(db.pool, 'select id, public from storage.buckets where id = \'wa-media\'');
    assert.deepEqual(bucket, { id: 'wa-media', public: false });
  });

  it('insert duplicate wa_msg_id fails (unique constraint)', async () => {
    const insert = 'insert into public.messages (wa_msg_id, ts, chat_id, sender, kind) values (\'dup-1\', now(), \'c@g.us\', \'s\', \'text\')';
    await db.pool.query(insert);
    await assert.rejects(db.pool.query(insert), { code: '23505', constraint: 'messages_wa_msg_id_key' });
  });

  it('insert duplicate sha256: the DB unique prevents a duplicate media row', async () => {
    const insert = `insert into public.media (sha256, mime, bytes, storage_path) values (repeat('a', 64), 'image/jpeg', 10, 'p')`;
    await db.pool.query(insert);
    await assert.rejects(db.pool.query(insert), { code: '23505', constraint: 'media_sha256_key' });
  });

  it('query by groups.monitor=true returns expected rows', async () => {
    await db.pool.query(`insert into public.groups (wa_group_id, name, monitor) values
      ('g1@g.us', 'One', true), ('g2@g.us', 'Two', false), ('g3@g.us', 'Three', true)`);
    const rows = (await db.pool.query('select wa_group_id from public.groups where monitor = true order by 1')).rows;
    assert.deepEqual(rows.map((r) => r.wa_group_id), ['g1@g.us', 'g3@g.us']);
  });

  it('EXPLAIN: queries by (chat_id, ts desc) and by kind hit their indexes', async () => {
    await db.pool.query(`insert into public.messages (wa_msg_id, ts, chat_id, sender, kind, text)
      select 'm' || i, now() - i * interval '1 second', 'chat' || (i % 200) || '@g.us', 's' || (i % 50),
             case when i % 100 = 0 then 'video' else 'text' end, 'message ' || i
      from generate_series(1, 40000) i`);
    await db.pool.query('analyze public.messages');
    const plan = async (sql: string) =>
      (await db.pool.query(`explain ${sql}`)).rows.map((row) => row['QUERY PLAN']).join('\n');
    const byChat = await plan('select * from public.messages where chat_id = \'chat7@g.us\' order by ts desc limit 50');
    assert.match(byChat, /messages_chat_ts_idx/);
    const byKind = await plan('select id from public.messages where kind = \'video\'');
    assert.match(byKind, /messages_kind_idx/);
  });
});
