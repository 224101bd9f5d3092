// Issue 17, outbound media: send-media stores the file, the worker uploads it to Meta and sends it
// through the outbox; Meta's type and size limits and the customer window are checked first.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { graphMedia } from '../../src/hub/media/graph-media.js';
import { graphSender } from '../../src/hub/outbox/graph.js';
import { mediaPreparer } from '../../src/hub/outbox/media-payload.js';
import { outboxTask } from '../../src/hub/outbox/worker-task.js';
import { testApp, testUser } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';
import { fakeGraph } from '../helpers/fake-graph.js';
import { fakeMedia, UPLOAD } from '../helpers/fake-graph-media.js';
import { encryptionKey, mediaConnection, multipart, until } from '../helpers/media-hub.js';
import { png } from '../helpers/media-files.js';
import { serverLogger } from '../helpers/run-log.js';
import { createWorkspace, one } from '../helpers/sql.js';

const MESSAGES = /^\/v[\d.]+\/[^/]+\/messages$/;

describe('send-media', async () => {
  const db = await freshDatabase();
  const graph = await fakeGraph();
  const media = fakeMedia(graph);
  const { app, ctx } = await testApp(db, { SEND_RATE_LIMIT: '1000' });
  const agent = await testUser(db, 'agent@send-media.example');
  const ws = await createWorkspace(db.pool, 'media-out', [agent.id]);
  const conn = await mediaConnection(db, ws, 'PN-MO', 'send-media-token');
  const thread = async (contact: string, windowOpen: boolean) => (await one<{ id: string }>(db.pool,
    `insert into wa_threads (workspace_id, connection_id, phone_number_id, contact_wa_id, customer_window_expires_at)
     values ($1, $2, 'PN-MO', $3, case when $4 then now() + interval '1 hour' else now() - interval '1 hour' end) returning id`,
    [ws, conn, contact, windowOpen])).id;
  const open = await thread('62877', true);
  const closed = await thread('62878', false);
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
  const upload = async (fields: Parameters<typeof multipart>[0]) => {
    const body = await multipart(fields);
    return app.inject({
      method: 'POST', url: '/api/meta/whatsapp/send-media', payload: body.payload,
      headers: { 'authorization': `Bearer ${agent.token}`, 'content-type': body.contentType },
    });
  };
  const counts = async () => one<{ outbox: number; media: number }>(db.pool,
    'select (select count(*)::int from outbox_messages) as outbox, (select count(*)::int from media) as media');

  it('uploads a document to Meta in the worker, then sends it by id with its filename and caption', async () => {
    const res = await upload({ workspaceId: ws, threadId: open, caption: 'Invoice for May', idempotencyKey: 'doc-1', file: { bytes: pdf, type: 'application/pdf', name: 'invoice-may.pdf' } });
    assert.equal(res.statusCode, 202, res.body);
    const queued = res.json();
    const again = await upload({ workspaceId: ws, threadId: open, caption: 'Invoice for May', idempotencyKey: 'doc-1', file: { bytes: pdf, type: 'application/pdf', name: 'invoice-may.pdf' } });
    assert.deepEqual({ ...again.json<object>(), duplicate: false }, { ...queued, duplicate: false });
    assert.equal(again.json().duplicate, true, 'the same key queues nothing more');
    const reused = await upload({ workspaceId: ws, threadId: open, caption: 'Another caption', idempotencyKey: 'doc-1', file: { bytes: pdf, type: 'application/pdf', name: 'x.pdf' } });
    assert.equal(reused.statusCode, 409);
    assert.equal(reused.json().error.code, 'idempotency_key_reused');
    const stored = await one<{ n: number }>(db.pool, 'select count(*)::int as n from media where sha256 = $1', [createHash('sha256').update(pdf).digest('hex')]);
    assert.equal(stored.n, 1, 'the file is in the bucket by sha256 before it is queued');

    const task = outboxTask({
      pool: db.pool, url: db.url, sender: graphSender(graph.url, 'v21.0'), encryptionKey, logger: serverLogger(), maxAttempts: 3,
      perConnectionPerSecond: 1000, pollMs: 50, media: mediaPreparer({ pool: db.pool, store: ctx.mediaStore, graph: graphMedia({ baseUrl: graph.url, version: 'v21.0' }) }),
    });
    const controller = new AbortController();
    const done = task.run(controller.signal);
    await until(async () => (await one(db.pool, 'select status from wa_messages where id = $1', [queued.messageId])).status === 'sent');
    controller.abort();
    await done;

    assert.equal(media.uploads.length, 1);
    const file = media.uploads[0]!;
    assert.deepEqual({ ...file, bytes: file.bytes.equals(pdf) }, {
      id: 'upload.1', phoneNumberId: 'PN-MO', type: 'application/pdf', messagingProduct: 'whatsapp', fileName: 'invoice-may.pdf', bytes: true,
      authorization: 'Bearer send-media-token',
    });
    const sent = graph.calls(MESSAGES).at(-1)!;
    assert.deepEqual(sent.body, {
      messaging_product: 'whatsapp', recipient_type: 'individual', to: '62877', type: 'document',
      document: { caption: 'Invoice for May', filename: 'invoice-may.pdf', id: 'upload.1' },
    });
    assert.ok(graph.calls(UPLOAD)[0]!.path.endsWith('/PN-MO/media'));
    const row = await one(db.pool, 'select meta_media_id, direction, state from wa_message_media where message_id = $1', [queued.messageId]);
    assert.deepEqual(row, { meta_media_id: 'upload.1', direction: 'out', state: 'stored' });

    const list = await app.inject({ method: 'GET', url: `/api/meta/whatsapp/threads/${open}/messages`, headers: { authorization: `Bearer ${agent.token}` } });
    const message = list.json().messages.find((m: { id: string }) => m.id === queued.messageId);
    assert.equal(message.media.fileName, 'invoice-may.pdf');
    assert.equal(message.media.bytes, pdf.length);
    assert.match(message.media.url, /\/storage\/v1\/object\/sign\/wa-media\//);
  });

  it('quotes a message of the thread (replyTo), as send-text does', async () => {
    const quoted = await one<{ id: string }>(db.pool, `insert into wa_messages (workspace_id, thread_id, phone_number_id, wa_message_id, direction, type, text, status)
      values ($1, $2, 'PN-MO', 'wamid.quoted-1', 'in', 'text', 'which size?', 'received') returning id`, [ws, open]);
    const res = await upload({ workspaceId: ws, threadId: open, replyTo: quoted.id, file: { bytes: png(3, 3, [5, 5, 5]), type: 'image/png', name: 'size.png' } });
    assert.equal(res.statusCode, 202, res.body);
    const row = await one<{ payload: Record<string, unknown> }>(db.pool, 'select payload from outbox_messages where id = $1', [res.json().outboxId]);
    assert.deepEqual(row.payload.context, { message_id: 'wamid.quoted-1' });
    const elsewhere = await upload({ workspaceId: ws, threadId: open, replyTo: '00000000-0000-4000-8000-000000000001', file: { bytes: png(3, 3, [6, 6, 6]), type: 'image/png', name: 'x.png' } });
    assert.equal(elsewhere.statusCode, 400);
    assert.match(elsewhere.json().error.message, /^replyTo: /);
  });

  it('refuses a file over the kind\'s limit with 413 before anything is queued', async () => {
    const before = await counts();
    const big = Buffer.alloc(5 * 1024 * 1024 + 1, 1);
    const res = await upload({ workspaceId: ws, threadId: open, file: { bytes: big, type: 'image/jpeg', name: 'huge.jpg' } });
    assert.equal(res.statusCode, 413, res.body);
    assert.equal(res.json().error.code, 'media_too_large');
    assert.match(res.json().error.message, /^file: .*5 MB.*image/);
    // An upload announced over the largest kind's limit is refused before its body is read.
    const over = await app.inject({
      method: 'POST', url: '/api/meta/whatsapp/send-media', payload: Buffer.alloc(16),
      headers: { 'authorization': `Bearer ${agent.token}`, 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(102 * 1024 * 1024) },
    });
    assert.equal(over.statusCode, 413, over.body);
    assert.match(over.json().error.message, /^file: /);
    assert.deepEqual(await counts(), before);
  });

  it('refuses a type WhatsApp does not take with 400, naming the field', async () => {
    const before = await counts();
    const gif = await upload({ workspaceId: ws, threadId: open, file: { bytes: Buffer.from('GIF89a'), type: 'image/gif', name: 'a.gif' } });
    assert.equal(gif.statusCode, 400);
    assert.equal(gif.json().error.code, 'unsupported_media_type');
    assert.match(gif.json().error.message, /^file: type image\/gif/);
    const asKind = await upload({ workspaceId: ws, threadId: open, kind: 'video', file: { bytes: png(2, 2, [1, 2, 3]), type: 'image/png', name: 'a.png' } });
    assert.equal(asKind.statusCode, 400);
    assert.match(asKind.json().error.message, /cannot be sent as kind video/);
    const none = await upload({ workspaceId: ws, threadId: open, caption: 'no file' });
    assert.equal(none.statusCode, 400);
    assert.match(none.json().error.message, /^body\.file: give exactly one/);
    const badKind = await upload({ workspaceId: ws, threadId: open, kind: 'sticker', file: { bytes: pdf, type: 'application/pdf', name: 'a.pdf' } });
    assert.equal(badKind.statusCode, 400);
    assert.match(badKind.json().error.message, /^body\.kind/);
    assert.deepEqual(await counts(), before);
  });

  it('refuses a file whose content is not its declared type with 400 media_type_mismatch, before anything is stored or queued', async () => {
    const before = await counts();
    const gifAsPng = await upload({ workspaceId: ws, threadId: open, file: { bytes: Buffer.from('GIF89a\x01\x00\x01\x00'), type: 'image/png', name: 'photo.png' } });
    assert.equal(gifAsPng.statusCode, 400, gifAsPng.body);
    assert.equal(gifAsPng.json().error.code, 'media_type_mismatch');
    assert.equal(gifAsPng.json().error.message, 'file: the content is not a PNG image (declared image/png)');
    // A type known only from the name (application/octet-stream) is checked too.
    const exeAsPdf = await upload({ workspaceId: ws, threadId: open, file: { bytes: Buffer.from('MZ\x90\x00 not a pdf'), type: 'application/octet-stream', name: 'invoice.pdf' } });
    assert.equal(exeAsPdf.statusCode, 400, exeAsPdf.body);
    assert.equal(exeAsPdf.json().error.message, 'file: the content is not a PDF document (declared application/pdf)');
    const binaryAsText = await upload({ workspaceId: ws, threadId: open, file: { bytes: Buffer.from('notes', 'utf16le'), type: 'text/plain', name: 'notes.txt' } });
    assert.equal(binaryAsText.json().error.code, 'media_type_mismatch');
    // Checked before the customer window: the file is what is wrong.
    const closedThread = await upload({ workspaceId: ws, threadId: closed, file: { bytes: pdf, type: 'image/jpeg', name: 'p.jpg' } });
    assert.equal(closedThread.json().error.code, 'media_type_mismatch');
    assert.deepEqual(await counts(), before);
    const text = await upload({ workspaceId: ws, threadId: open, file: { bytes: Buffer.from('Terima kasih 🙏\n'), type: 'text/plain', name: 'notes.txt' } });
    assert.equal(text.statusCode, 202, text.body);
  });

  it('refuses a send outside the customer service window with 409, and 404 for a thread of another workspace', async () => {
    const res = await upload({ workspaceId: ws, threadId: closed, file: { bytes: png(2, 2, [9, 9, 9]), type: 'image/png', name: 'p.png' } });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error.code, 'outside_customer_service_window');
    const other = await createWorkspace(db.pool, 'media-other');
    const foreign = await upload({ workspaceId: other, threadId: open, file: { bytes: pdf, type: 'application/pdf', name: 'a.pdf' } });
    assert.equal(foreign.statusCode, 404);
  });

  it('sends a stored media item again by its id (JSON), and only one of this workspace', async () => {
    const item = await one<{ media_id: string }>(db.pool, 'select media_id from wa_message_media where direction = \'out\' and file_name = \'invoice-may.pdf\' limit 1');
    const res = await app.inject({
      method: 'POST', url: '/api/meta/whatsapp/send-media', headers: { authorization: `Bearer ${agent.token}` },
      payload: { workspaceId: ws, threadId: open, mediaId: item.media_id, caption: 'again' },
    });
    assert.equal(res.statusCode, 202, res.body);
    const row = await one(db.pool, 'select kind, file_name, state from wa_message_media where message_id = $1', [res.json().messageId]);
    assert.deepEqual(row, { kind: 'document', file_name: 'invoice-may.pdf', state: 'stored' });
    const unknown = await app.inject({
      method: 'POST', url: '/api/meta/whatsapp/send-media', headers: { authorization: `Bearer ${agent.token}` },
      payload: { workspaceId: ws, threadId: open, mediaId: '00000000-0000-4000-8000-000000000000' },
    });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.code, 'media_not_found');
  });
});
