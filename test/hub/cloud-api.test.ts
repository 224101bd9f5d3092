// Issue 17 (everything but media): the customer service window, templates (sync, webhooks,
// send-template), reactions, quoted replies, interactive previews, BSUIDs, pricing, read receipts.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { encryptSecret } from '../../src/hub/crypto.js';
import { graphSender } from '../../src/hub/outbox/graph.js';
import { outboxTask } from '../../src/hub/outbox/worker-task.js';
import { syncTemplates } from '../../src/hub/templates/sync.js';
import { testApp, testUser } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';
import { fakeGraph, GRAPH_STEPS } from '../helpers/fake-graph.js';
import { signedPost, textChange, webhookBody } from '../helpers/meta.js';
import { serverLogger } from '../helpers/run-log.js';
import { registerSecret } from '../helpers/secrets.js';
import { createWorkspace, one } from '../helpers/sql.js';

const key = randomBytes(32);
const logger = serverLogger();
let seq = 0;
const ts = () => String(Math.floor(Date.now() / 1000) + seq++);

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const change = (pnid: string, value: Record<string, unknown>) => ({
  field: 'messages',
  value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550000000', phone_number_id: pnid }, ...value },
});

const TEMPLATES = [
  { id: '9001', name: 'order_update', language: 'en_US', category: 'UTILITY', status: 'APPROVED', quality_score: { score: 'GREEN' },
    components: [
      { type: 'HEADER', format: 'IMAGE' },
      { type: 'BODY', text: 'Hi {{1}}, order {{2}} is on its way.' },
      { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Track', url: 'https://shop.example/t/{{1}}' }, { type: 'QUICK_REPLY', text: 'Thanks' }] },
    ] },
  { id: '9002', name: 'welcome', language: 'en_US', category: 'MARKETING', status: 'APPROVED', components: [{ type: 'BODY', text: 'Welcome, {{first_name}}!' }] },
  ...Array.from({ length: 5 }, (_, i) => ({ id: String(9100 + i), name: `promo_${i}`, language: 'id', category: 'MARKETING', status: 'PENDING', components: [{ type: 'BODY', text: 'Promo' }] })),
];

describe('Cloud API: window, templates, reactions, replies, BSUID, pricing, read receipts', async () => {
  const db = await freshDatabase();
  const graph = await fakeGraph();
  const { app } = await testApp(db, { SEND_RATE_LIMIT: '1000', META_APP_SECRET: 'test-app-secret-0123456789' });
  const alice = await testUser(db, 'alice@cloud.example');
  const ws = await createWorkspace(db.pool, 'cloud-ws', [alice.id]);
  registerSecret('conn-token-cloud', 'connection access token');
  const conn = (await one<{ id: string }>(db.pool,
    'insert into wa_phone_numbers (workspace_id, phone_number_id, waba_id, access_token_enc) values ($1, \'PN-C\', \'555001\', $2) returning id',
    [ws, encryptSecret(key, 'conn-token-cloud')])).id;
  const bearer = { authorization: `Bearer ${alice.token}` };
  const post = (url: string, payload: Record<string, unknown>) => app.inject({ method: 'POST', url, headers: bearer, payload: { workspaceId: ws, ...payload } });
  const hook = (...changes: unknown[]) => app.inject(signedPost(webhookBody(...changes)));
  const threadOf = async (contact: string) => (await one<{ id: string }>(db.pool, 'select id from wa_threads where contact_wa_id = $1', [contact])).id;
  const worker = () => {
    const controller = new AbortController();
    const done = outboxTask({ pool: db.pool, url: db.url, sender: graphSender(graph.url, 'v21.0'), encryptionKey: key, logger, maxAttempts: 2, perConnectionPerSecond: 1000, pollMs: 50 })
      .run(controller.signal);
    return {
      stop: async () => {
        controller.abort();
        await done;
      },
    };
  };
  /** As if the customer last wrote 25 hours ago. */
  const closeWindow = (thread: string) =>
    db.pool.query('update wa_threads set last_inbound_at = now() - interval \'25 hours\', customer_window_expires_at = now() - interval \'1 hour\' where id = $1', [thread]);
  const drain = async () => {
    const w = worker();
    await until(async () => (await one<{ n: number }>(db.pool, 'select count(*)::int as n from outbox_messages where status in (\'queued\', \'processing\')')).n === 0);
    await w.stop();
  };

  it('an inbound message opens the window (last inbound + 24 h); the thread API exposes it', async () => {
    assert.equal((await hook(textChange('PN-C', '6281001', 'halo'))).statusCode, 200);
    const thread = await threadOf('6281001');
    const row = await one<{ gap: number }>(db.pool, 'select extract(epoch from customer_window_expires_at - last_inbound_at)::int as gap from wa_threads where id = $1', [thread]);
    assert.equal(row.gap, 24 * 3600);
    const res = await app.inject({ method: 'GET', url: `/api/meta/whatsapp/threads/${thread}`, headers: bearer });
    assert.equal(res.json().customerWindowOpen, true);
    assert.ok(res.json().customerWindowExpiresAt);
    const list = await app.inject({ method: 'GET', url: `/api/meta/whatsapp/threads?workspaceId=${ws}`, headers: bearer });
    assert.equal(list.json().threads.find((t: { id: string }) => t.id === thread).customerWindowOpen, true);
  });

  it('a closed window: send-text is 409 outside_customer_service_window with expiresAt, and nothing is queued', async () => {
    const thread = await threadOf('6281001');
    await closeWindow(thread);
    const before = (await one<{ n: number }>(db.pool, 'select count(*)::int as n from outbox_messages')).n;
    const res = await post('/api/meta/whatsapp/send-text', { threadId: thread, text: 'late reply' });
    assert.equal(res.statusCode, 409, res.body);
    assert.equal(res.json().error.code, 'outside_customer_service_window');
    assert.ok(Date.parse(res.json().error.expiresAt) < Date.now());
    assert.equal((await one<{ n: number }>(db.pool, 'select count(*)::int as n from outbox_messages')).n, before);
    assert.equal((await one<{ n: number }>(db.pool, 'select count(*)::int as n from wa_messages where text = \'late reply\'')).n, 0);
    const shown = await app.inject({ method: 'GET', url: `/api/meta/whatsapp/threads/${thread}`, headers: bearer });
    assert.equal(shown.json().customerWindowOpen, false);
  });

  it('a new inbound message reopens it; a late older one never shortens it; our own messages never extend it', async () => {
    const thread = await threadOf('6281001');
    await hook(textChange('PN-C', '6281001', 'me again'));
    const open = await one<{ expires: Date }>(db.pool, 'select customer_window_expires_at as expires from wa_threads where id = $1', [thread]);
    assert.ok(open.expires.getTime() > Date.now() + 23 * 3600_000);
    const old = textChange('PN-C', '6281001', 'from yesterday');
    (old.value.messages[0] as { timestamp: string }).timestamp = String(Math.floor(Date.now() / 1000) - 20 * 3600);
    await hook(old);
    const after = await one<{ expires: Date }>(db.pool, 'select customer_window_expires_at as expires from wa_threads where id = $1', [thread]);
    assert.equal(after.expires.getTime(), open.expires.getTime());
    assert.equal((await post('/api/meta/whatsapp/send-text', { threadId: thread, text: 'in the window' })).statusCode, 202);
    await drain();
    const still = await one<{ expires: Date }>(db.pool, 'select customer_window_expires_at as expires from wa_threads where id = $1', [thread]);
    assert.equal(still.expires.getTime(), open.expires.getTime());
  });

  it('a 131047 from Meta anyway marks the message failed with that reason and closes the thread\'s window', async () => {
    const thread = await threadOf('6281001');
    graph.replyTo(GRAPH_STEPS.messages, graph.error(400, 131047, 'Message failed to send because more than 24 hours have passed since the customer last replied'));
    const { messageId } = (await post('/api/meta/whatsapp/send-text', { threadId: thread, text: 'refused by Meta' })).json();
    await drain();
    const message = await one(db.pool, 'select status, error_code, error_message from wa_messages where id = $1', [messageId]);
    assert.equal(message.status, 'failed');
    assert.equal(message.error_code, '131047');
    assert.match(String(message.error_message), /24 hours/);
    const t = await one<{ open: boolean }>(db.pool, 'select customer_window_expires_at > now() as open from wa_threads where id = $1', [thread]);
    assert.equal(t.open, false);
    // The same from a status webhook: a failed status with 131047 closes the window too.
    await hook(textChange('PN-C', '6281001', 'reopen'));
    const sent = (await post('/api/meta/whatsapp/send-text', { threadId: thread, text: 'fails later' })).json();
    await drain();
    const wamid = (await one<{ w: string }>(db.pool, 'select wa_message_id as w from wa_messages where id = $1', [sent.messageId])).w;
    await hook(change('PN-C', { statuses: [{ id: wamid, status: 'failed', timestamp: ts(), recipient_id: '6281001', errors: [{ code: 131047, title: 'Re-engagement message' }] }] }));
    const failed = await one(db.pool, 'select status, error_code from wa_messages where id = $1', [sent.messageId]);
    assert.deepEqual(failed, { status: 'failed', error_code: '131047' });
    assert.equal((await one<{ open: boolean }>(db.pool, 'select customer_window_expires_at > now() as open from wa_threads where id = $1', [thread])).open, false);
  });

  it('template sync reads every page and stores name, language, category, status, components, quality', async () => {
    graph.setTemplates('555001', TEMPLATES, 3);
    const results = await syncTemplates(db.pool, { baseUrl: graph.url, version: 'v21.0' }, key);
    assert.equal(results.length, 1);
    assert.equal(results[0]!.error, null);
    assert.equal(results[0]!.pages, 3);
    assert.equal(results[0]!.templates, TEMPLATES.length);
    const calls = graph.calls(GRAPH_STEPS.templates);
    assert.equal(calls.at(-1)!.authorization, 'Bearer conn-token-cloud');
    const row = await one(db.pool, 'select category, status, quality, components -> 1 ->> \'text\' as body from wa_message_templates where name = \'order_update\'');
    assert.deepEqual(row, { category: 'UTILITY', status: 'APPROVED', quality: 'GREEN', body: 'Hi {{1}}, order {{2}} is on its way.' });
    const listed = await app.inject({ method: 'GET', url: `/api/meta/whatsapp/templates?workspaceId=${ws}&status=APPROVED`, headers: bearer });
    assert.deepEqual(listed.json().templates.map((t: { name: string }) => t.name), ['order_update', 'welcome']);
  });

  it('send-template works outside the window, with the parameters Meta expects', async () => {
    const thread = await threadOf('6281001');
    await closeWindow(thread);
    const res = await post('/api/meta/whatsapp/send-template', {
      threadId: thread, name: 'order_update', language: 'en_US',
      parameters: { header: { image: { link: 'https://shop.example/box.jpg' } }, body: ['Sari', 'A-17'], buttons: [{ index: 0, text: 'A-17' }] },
    });
    assert.equal(res.statusCode, 202, res.body);
    await drain();
    const sent = graph.calls(GRAPH_STEPS.messages).find((r) => r.body.type === 'template')!;
    assert.deepEqual(sent.body.template, {
      name: 'order_update',
      language: { code: 'en_US' },
      components: [
        { type: 'header', parameters: [{ type: 'image', image: { link: 'https://shop.example/box.jpg' } }] },
        { type: 'body', parameters: [{ type: 'text', text: 'Sari' }, { type: 'text', text: 'A-17' }] },
        { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'A-17' }] },
      ],
    });
    assert.equal(sent.body.wabase_fingerprint, undefined, 'wabase\'s own keys never reach Meta');
    const message = await one(db.pool, 'select type, text, status from wa_messages where id = $1', [res.json().messageId]);
    assert.deepEqual(message, { type: 'template', text: 'Hi Sari, order A-17 is on its way.', status: 'sent' });
  });

  it('parameters that do not fit the template are refused, naming the field', async () => {
    const thread = await threadOf('6281001');
    const send = (parameters: Record<string, unknown>, name = 'order_update') => post('/api/meta/whatsapp/send-template', { threadId: thread, name, language: 'en_US', parameters });
    const cases: [Record<string, unknown>, RegExp, string?][] = [
      [{ header: { image: { link: 'https://x.example/a.jpg' } }, body: ['only one'], buttons: [{ index: 0, text: 'x' }] }, /parameters\.body: .*needs 2/],
      [{ header: { video: { link: 'https://x.example/a.mp4' } }, body: ['a', 'b'], buttons: [{ index: 0, text: 'x' }] }, /parameters\.header\.image: .*IMAGE/],
      [{ header: { image: { link: 'https://x.example/a.jpg' } }, body: ['a', 'b'] }, /parameters\.buttons\[0\]\.text/],
      [{ header: { image: { link: 'https://x.example/a.jpg' } }, body: ['a', 'b'], buttons: [{ index: 0, text: 'x' }, { index: 5, text: 'y' }] }, /no button at index 5/],
      [{ body: { name: 'Sari' } }, /parameters\.body\.first_name: missing/, 'welcome'],
    ];
    for (const [parameters, message, name] of cases) {
      const res = await send(parameters, name);
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().error.code, 'template_parameters_mismatch');
      assert.match(res.json().error.message, message);
    }
    const unknown = await post('/api/meta/whatsapp/send-template', { threadId: thread, name: 'nope', language: 'en_US', parameters: {} });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.code, 'template_not_found');
  });

  it('status webhooks move a template to PAUSED and REJECTED (deduped, never backwards); sends are refused then', async () => {
    const thread = await threadOf('6281001');
    const time = Math.floor(Date.now() / 1000) + 60;
    const templateHook = (event: string, at: number, field = 'message_template_status_update', extra: Record<string, unknown> = {}) => app.inject(signedPost({
      object: 'whatsapp_business_account',
      entry: [{ id: '555001', time: at, changes: [{ field, value: { event, message_template_id: 9002, message_template_name: 'welcome', message_template_language: 'en_US', reason: 'NONE', ...extra } }] }],
    }));
    const paused = await templateHook('PAUSED', time);
    assert.equal(paused.statusCode, 200);
    assert.equal(paused.json().stored, 1);
    assert.equal((await templateHook('PAUSED', time)).json().deduped, true);
    assert.equal((await one(db.pool, 'select status from wa_message_templates where name = \'welcome\'')).status, 'PAUSED');
    const refused = await post('/api/meta/whatsapp/send-template', { threadId: thread, name: 'welcome', language: 'en_US', parameters: { body: { first_name: 'Sari' } } });
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().error.code, 'template_not_approved');
    assert.match(refused.json().error.message, /PAUSED/);
    // An older event re-delivered late does not move it back.
    await templateHook('APPROVED', time - 600);
    assert.equal((await one(db.pool, 'select status from wa_message_templates where name = \'welcome\'')).status, 'PAUSED');
    await templateHook('REJECTED', time + 10, 'message_template_status_update', { reason: 'INCORRECT_CATEGORY' });
    assert.deepEqual(await one(db.pool, 'select status, reason from wa_message_templates where name = \'welcome\''), { status: 'REJECTED', reason: 'INCORRECT_CATEGORY' });
    // Quality and category updates change only those.
    await app.inject(signedPost({ object: 'whatsapp_business_account', entry: [{ id: '555001', time: time + 20, changes: [{ field: 'message_template_quality_update', value: { previous_quality_score: 'GREEN', new_quality_score: 'YELLOW', message_template_id: 9002, message_template_name: 'welcome', message_template_language: 'en_US' } }] }] }));
    assert.deepEqual(await one(db.pool, 'select status, quality from wa_message_templates where name = \'welcome\''), { status: 'REJECTED', quality: 'YELLOW' });
    // A WABA nobody here has: an orphan.
    const stray = await app.inject(signedPost({ object: 'whatsapp_business_account', entry: [{ id: '999999', time, changes: [{ field: 'message_template_status_update', value: { event: 'APPROVED', message_template_name: 'x', message_template_language: 'en' } }] }] }));
    assert.equal(stray.json().orphans, 1);
  });

  it('inbound reactions attach to their message, replace each other and detach with an empty emoji', async () => {
    const thread = await threadOf('6281001');
    const target = await one<{ id: string; w: string }>(db.pool, 'select id, wa_message_id as w from wa_messages where thread_id = $1 and direction = \'out\' and status = \'sent\' limit 1', [thread]);
    const count = async () => (await one<{ n: number }>(db.pool, 'select count(*)::int as n from wa_messages where thread_id = $1', [thread])).n;
    const before = await count();
    const react = (emoji: string, id = `wamid.react${seq++}`) =>
      hook(change('PN-C', { contacts: [{ profile: { name: 'Sari' }, wa_id: '6281001' }], messages: [{ from: '6281001', id, timestamp: ts(), type: 'reaction', reaction: { message_id: target.w, emoji } }] }));
    await react('👍');
    await react('❤️');
    assert.equal(await count(), before, 'a reaction is not a thread message');
    const messages = await app.inject({ method: 'GET', url: `/api/meta/whatsapp/threads/${thread}/messages`, headers: bearer });
    const shown = messages.json().messages.find((m: { id: string }) => m.id === target.id);
    assert.deepEqual(shown.reactions, [{ direction: 'in', emoji: '❤️' }]);
    await react('');
    assert.equal((await one<{ n: number }>(db.pool, 'select count(*)::int as n from wa_message_reactions where message_id = $1', [target.id])).n, 0);
  });

  it('agents react (send-reaction; an empty emoji removes it) inside the window only', async () => {
    await hook(textChange('PN-C', '6281001', 'react to me', 'wamid.reactme'));
    const thread = await threadOf('6281001');
    const target = (await one<{ id: string }>(db.pool, 'select id from wa_messages where wa_message_id = \'wamid.reactme\'')).id;
    const res = await post('/api/meta/whatsapp/send-reaction', { threadId: thread, messageId: target, emoji: '🙏' });
    assert.equal(res.statusCode, 202, res.body);
    assert.equal(res.json().messageId, target);
    await drain();
    const sent = graph.calls(GRAPH_STEPS.messages).filter((r) => r.body.type === 'reaction').at(-1)!;
    assert.deepEqual(sent.body.reaction, { message_id: 'wamid.reactme', emoji: '🙏' });
    assert.equal((await one(db.pool, 'select emoji from wa_message_reactions where message_id = $1 and direction = \'out\'', [target])).emoji, '🙏');
    assert.equal((await post('/api/meta/whatsapp/send-reaction', { threadId: thread, messageId: target, emoji: '' })).statusCode, 202);
    assert.equal((await one<{ n: number }>(db.pool, 'select count(*)::int as n from wa_message_reactions where message_id = $1 and direction = \'out\'', [target])).n, 0);
    await drain();
    await closeWindow(thread);
    const closed = await post('/api/meta/whatsapp/send-reaction', { threadId: thread, messageId: target, emoji: '👍' });
    assert.equal(closed.statusCode, 409);
    assert.equal(closed.json().error.code, 'outside_customer_service_window');
  });

  it('quoted replies: inbound keep their context and show the quote; agents quote-reply with replyTo', async () => {
    await hook(change('PN-C', { contacts: [{ profile: { name: 'Sari' }, wa_id: '6281001' }], messages: [{ from: '6281001', id: 'wamid.quoting', timestamp: ts(), type: 'text', text: { body: 'about this' }, context: { from: '15550000000', id: 'wamid.reactme' } }] }));
    const thread = await threadOf('6281001');
    const page = (await app.inject({ method: 'GET', url: `/api/meta/whatsapp/threads/${thread}/messages`, headers: bearer })).json();
    const quoting = page.messages.find((m: { waMessageId: string }) => m.waMessageId === 'wamid.quoting');
    assert.equal(quoting.replyTo.waMessageId, 'wamid.reactme');
    assert.equal(quoting.replyTo.text, 'react to me');
    const res = await post('/api/meta/whatsapp/send-text', { threadId: thread, text: 'yes, that one', replyTo: quoting.id });
    assert.equal(res.statusCode, 202, res.body);
    await drain();
    const sent = graph.calls(GRAPH_STEPS.messages).find((r) => (r.body.text as { body?: string } | undefined)?.body === 'yes, that one')!;
    assert.deepEqual(sent.body.context, { message_id: 'wamid.quoting' });
    const bad = await post('/api/meta/whatsapp/send-text', { threadId: thread, text: 'x', replyTo: '00000000-0000-4000-8000-000000000000' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().error.message, /^replyTo/);
  });

  it('interactive replies, locations and contacts are stored with a readable preview', async () => {
    await hook(change('PN-C', {
      contacts: [{ profile: { name: 'Sari' }, wa_id: '6281001' }],
      messages: [
        { from: '6281001', id: 'wamid.btn', timestamp: ts(), type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes please' } } },
        { from: '6281001', id: 'wamid.list', timestamp: ts(), type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'r1', title: 'Large', description: '30 cm' } } },
        { from: '6281001', id: 'wamid.loc', timestamp: ts(), type: 'location', location: { latitude: -6.2, longitude: 106.8, name: 'Toko Maju', address: 'Jl. Sudirman 1' } },
        { from: '6281001', id: 'wamid.card', timestamp: ts(), type: 'contacts', contacts: [{ name: { formatted_name: 'Budi' }, phones: [{ phone: '+62 811' }] }] },
      ],
    }));
    const rows = (await db.pool.query('select wa_message_id, text from wa_messages where wa_message_id in (\'wamid.btn\', \'wamid.list\', \'wamid.loc\', \'wamid.card\') order by wa_message_id')).rows;
    assert.deepEqual(rows, [
      { wa_message_id: 'wamid.btn', text: 'Yes please' },
      { wa_message_id: 'wamid.card', text: '👤 Budi (+62 811)' },
      { wa_message_id: 'wamid.list', text: 'Large — 30 cm' },
      { wa_message_id: 'wamid.loc', text: '📍 Toko Maju, Jl. Sudirman 1' },
    ]);
    assert.equal((await one(db.pool, 'select last_message_preview from wa_threads where contact_wa_id = \'6281001\'')).last_message_preview, '👤 Budi (+62 811)');
  });

  it('a username-only contact (BSUID, no number) gets a thread and a reply sent with recipient; a later message with both links, not duplicates', async () => {
    const bsuid = 'ID.1502576394655843';
    await hook(change('PN-C', { contacts: [{ profile: { name: 'Rina' }, user_id: bsuid }], messages: [{ from_user_id: bsuid, id: 'wamid.user1', timestamp: ts(), type: 'text', text: { body: 'hi from a username' } }] }));
    const thread = await one<{ id: string; contact_user_id: string; contact_name: string }>(db.pool, 'select id, contact_user_id, contact_name from wa_threads where contact_wa_id = $1', [bsuid]);
    assert.equal(thread.contact_user_id, bsuid);
    assert.equal(thread.contact_name, 'Rina');
    const res = await post('/api/meta/whatsapp/send-text', { threadId: thread.id, text: 'hello Rina' });
    assert.equal(res.statusCode, 202, res.body);
    await drain();
    const sent = graph.calls(GRAPH_STEPS.messages).find((r) => (r.body.text as { body?: string } | undefined)?.body === 'hello Rina')!;
    assert.equal(sent.body.recipient, bsuid);
    assert.equal(sent.body.to, undefined);
    await hook(change('PN-C', { contacts: [{ profile: { name: 'Rina' }, wa_id: '6289999', user_id: bsuid }], messages: [{ from: '6289999', from_user_id: bsuid, id: 'wamid.user2', timestamp: ts(), type: 'text', text: { body: 'now with a number' } }] }));
    const threads = (await db.pool.query('select id from wa_threads where contact_user_id = $1 or contact_wa_id = \'6289999\'', [bsuid])).rows;
    assert.deepEqual(threads, [{ id: thread.id }]);
    assert.equal((await one<{ n: number }>(db.pool, 'select count(*)::int as n from wa_messages where thread_id = $1 and direction = \'in\'', [thread.id])).n, 2);
    // A status that names the recipient only by BSUID still applies to its message.
    const wamid = (await one<{ w: string }>(db.pool, 'select wa_message_id as w from wa_messages where id = $1', [res.json().messageId])).w;
    await hook(change('PN-C', { statuses: [{ id: wamid, status: 'delivered', timestamp: ts(), recipient_user_id: bsuid }] }));
    assert.equal((await one(db.pool, 'select status from wa_messages where id = $1', [res.json().messageId])).status, 'delivered');
  });

  it('pricing and conversation objects are stored verbatim; the ops view counts them per category per workspace per day', async () => {
    const thread = await threadOf('6281001');
    await db.pool.query('update wa_threads set last_inbound_at = now() - interval \'23 hours\', customer_window_expires_at = now() + interval \'1 hour\' where id = $1', [thread]);
    const { messageId } = (await post('/api/meta/whatsapp/send-text', { threadId: thread, text: 'priced' })).json();
    await drain();
    const wamid = (await one<{ w: string }>(db.pool, 'select wa_message_id as w from wa_messages where id = $1', [messageId])).w;
    const pricing = { billable: false, pricing_model: 'PMP', category: 'service', type: 'free_customer_service', future_field: { x: [1, 2] } };
    const conversation = { id: 'conv-1', expiration_timestamp: '1750900000', origin: { type: 'service' } };
    await hook(change('PN-C', { statuses: [{ id: wamid, status: 'delivered', timestamp: ts(), recipient_id: '6281001', pricing, conversation }] }));
    // A late "sent" with pricing still stores it, and never moves the status back.
    await hook(change('PN-C', { statuses: [{ id: wamid, status: 'sent', timestamp: ts(), recipient_id: '6281001', pricing: { ...pricing, billable: true } }] }));
    const row = await one(db.pool, 'select status, pricing, conversation from wa_messages where id = $1', [messageId]);
    assert.equal(row.status, 'delivered');
    assert.deepEqual(row.pricing, { ...pricing, billable: true });
    assert.deepEqual(row.conversation, conversation);
    const admin = await testUser(db, 'ops@cloud.example');
    await db.pool.query('insert into platform_admins (user_id, email) values ($1, $2)', [admin.id, admin.email]);
    const { app: opsApp } = await testApp(db, { OPS_ADMIN_EMAILS: admin.email });
    const report = await opsApp.inject({ method: 'GET', url: '/api/ops/pricing/daily', headers: { authorization: `Bearer ${admin.token}` } });
    assert.equal(report.statusCode, 200, report.body);
    const mine = report.json().rows.filter((r: { workspaceId: string }) => r.workspaceId === ws);
    assert.deepEqual(mine.map((r: { category: string; messages: number; billable: number }) => [r.category, r.messages, r.billable]), [['service', 1, 1]]);
    const denied = await app.inject({ method: 'GET', url: '/api/ops/pricing/daily', headers: bearer });
    assert.equal(denied.statusCode, 403);
  });

  it('opening a thread with unread messages marks the newest one read at Meta, once; the setting turns it off', async () => {
    await hook(textChange('PN-C', '6281777', 'first', 'wamid.unread1'), textChange('PN-C', '6281777', 'second', 'wamid.unread2'));
    const thread = await threadOf('6281777');
    const open = () => app.inject({ method: 'PATCH', url: `/api/meta/whatsapp/threads/${thread}`, headers: bearer, payload: { read: true } });
    assert.equal((await open()).statusCode, 200);
    await drain();
    const reads = () => graph.calls(GRAPH_STEPS.messages).filter((r) => r.body.status === 'read');
    assert.deepEqual(reads().map((r) => r.body), [{ messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.unread2' }]);
    await db.pool.query('update wa_threads set unread_count = 1 where id = $1', [thread]);
    await open();
    await drain();
    assert.equal(reads().length, 1, 'once per message');
    const off = await app.inject({ method: 'PATCH', url: '/api/meta/whatsapp/settings', headers: bearer, payload: { workspaceId: ws, readReceipts: false } });
    assert.equal(off.statusCode, 403, 'members who are not owners or admins may not');
    await db.pool.query('update workspace_memberships set role = \'owner\' where user_id = $1', [alice.id]);
    assert.equal((await app.inject({ method: 'PATCH', url: '/api/meta/whatsapp/settings', headers: bearer, payload: { workspaceId: ws, readReceipts: false } })).json().readReceipts, false);
    await hook(textChange('PN-C', '6281777', 'third', 'wamid.unread3'));
    await open();
    await drain();
    assert.equal(reads().length, 1, 'read receipts off: nothing sent');
    const settings = await app.inject({ method: 'GET', url: `/api/meta/whatsapp/settings?workspaceId=${ws}`, headers: bearer });
    assert.equal(settings.json().readReceipts, false);
  });
  void conn;
});
