// A batch of webhook POSTs is ingested by one statement (migration 20261204200000), and each POST
// still gets its own outcome; where one snapshot cannot see what an earlier POST did, each POST
// runs on its own as before.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { sqlEvents } from '../../src/hub/webhook/ingest.js';
import { freshDatabase } from '../helpers/db.js';
import { textChange, webhookBody } from '../helpers/meta.js';
import { createWorkspace, one } from '../helpers/sql.js';

interface Outcome {
  stored: number;
  duplicates: number;
  orphans: { phoneNumberId: string | null; eventKey: string; reason: string }[];
  others: string[];
  hubEvents: string[];
  mediaJobs: boolean;
}

describe('webhook batch in one statement', async () => {
  const db = await freshDatabase();
  const ws = await createWorkspace(db.pool, 'batch-statement');
  await db.pool.query('insert into wa_phone_numbers (workspace_id, phone_number_id) values ($1, \'PN-BS\')', [ws]);
  const text = (wamid: string, from: string, pnid = 'PN-BS') => sqlEvents(webhookBody(textChange(pnid, from, `text of ${wamid}`, wamid)));
  const reaction = (wamid: string, to: string, from: string) => sqlEvents(webhookBody({
    field: 'messages',
    value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550000000', phone_number_id: 'PN-BS' },
      contacts: [{ profile: { name: 'Sari' }, wa_id: from }],
      messages: [{ from, id: wamid, timestamp: String(Math.floor(Date.now() / 1000)), type: 'reaction', reaction: { message_id: to, emoji: '👍' } }],
    },
  }));

  /**
   * Runs the batch function and counts its calls of the one-statement ingest (function statistics
   * of this transaction, on a connection of its own: a backend's unflushed counts of earlier
   * transactions would show in them too).
   */
  async function ingestBatch(posts: unknown[]): Promise<{ outcomes: Outcome[]; statements: number }> {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query('begin');
      await client.query('set local track_functions = \'pl\'');
      const { rows } = await client.query<{ results: Outcome[] }>('select public.ingest_meta_webhook_posts_deferred($1::jsonb) as results', [JSON.stringify(posts)]);
      const calls = await one<{ n: number }>(client,
        'select coalesce(pg_stat_get_xact_function_calls(\'public.ingest_meta_webhook_events(jsonb)\'::regprocedure), 0)::int as n');
      await client.query('commit');
      return { outcomes: rows[0]!.results, statements: calls.n };
    } finally {
      await client.end();
    }
  }

  it('runs all POSTs of a batch in one statement, and gives each POST its own outcome', async () => {
    const other = sqlEvents({ object: 'whatsapp_business_account', entry: [{ id: 'W', changes: [{ field: 'account_update', value: { metadata: { phone_number_id: 'PN-BS' }, event: 'VERIFIED' } }] }] });
    const posts = [text('wamid.S1.a', '628101'), text('wamid.S1.a', '628101'), text('wamid.S1.orphan', '628102', 'PN-NOBODY'), other, [], text('wamid.S1.b', '628103')];
    const { outcomes, statements } = await ingestBatch(posts);
    assert.equal(statements, 1, 'one statement for the six POSTs');
    assert.deepEqual(outcomes.map((o) => [o.stored, o.duplicates, o.orphans.length, o.others.length]), [
      [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [1, 0, 0, 1], [0, 0, 0, 0], [1, 0, 0, 0],
    ]);
    assert.deepEqual(outcomes[2]!.orphans, [{ phoneNumberId: 'PN-NOBODY', eventKey: 'msg:wamid.S1.orphan', reason: 'unknown_phone_number_id' }]);
    assert.equal(outcomes[3]!.others[0], (other[0] as { key: string }).key);
    // The batch's realtime events travel once, with the first POST.
    assert.equal(outcomes[0]!.hubEvents.length, 4, 'message.created and thread.updated of both threads');
    assert.deepEqual(outcomes.slice(1).map((o) => o.hubEvents.length), [0, 0, 0, 0, 0]);
    const stored = await db.pool.query<{ contact_wa_id: string; unread_count: number }>(
      'select contact_wa_id, unread_count from wa_threads where contact_wa_id in (\'628101\', \'628103\') order by 1');
    assert.deepEqual(stored.rows, [{ contact_wa_id: '628101', unread_count: 1 }, { contact_wa_id: '628103', unread_count: 1 }]);
  });

  it('a reaction to a message of the same batch attaches: that batch runs POST by POST', async () => {
    const { outcomes, statements } = await ingestBatch([text('wamid.S2.msg', '628201'), reaction('wamid.S2.react', 'wamid.S2.msg', '628201')]);
    assert.equal(statements, 2);
    assert.deepEqual(outcomes.map((o) => o.stored), [1, 1]);
    const reacted = await one<{ emoji: string }>(db.pool,
      'select r.emoji from wa_message_reactions r join wa_messages m on m.id = r.message_id where m.wa_message_id = \'wamid.S2.msg\'');
    assert.equal(reacted.emoji, '👍');
  });

  it('a batch whose shared statement fails is retried POST by POST, so only the bad POST fails', async () => {
    const broken = text('wamid.S3.bad', '628302').map((event) => ({ ...event, at: 'not a time' }));
    const { outcomes } = await ingestBatch([text('wamid.S3.a', '628301'), broken, text('wamid.S3.b', '628303')]);
    assert.deepEqual(outcomes.map((o) => ('error' in o ? 'error' : o.stored)), [1, 'error', 1]);
  });
});
