// Issue 17, media in the inbox, in Chromium: an inbound image archived by the worker shows inline
// (the page fetches the bytes through the signed URL and they are Meta's), opens full size; the
// attach button sends a document, and a refused file says why while the typed caption stays.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, screenshots, skipReason, watchedPage, type WatchedPage } from '../helpers/browser.js';
import { freshDatabase } from '../helpers/db.js';
import { fakeMedia } from '../helpers/fake-graph-media.js';
import { eventually, signInToInbox } from '../helpers/inbox-browser.js';
import { inboxFixture } from '../helpers/inbox-fixture.js';
import { png } from '../helpers/media-files.js';
import { mediaChange, startArchiver } from '../helpers/media-hub.js';

describe('media in the inbox', async () => {
  const browser = await launchBrowser();
  const db = await freshDatabase();
  const f = await inboxFixture(db);
  const media = fakeMedia(f.graph);
  const image = png(320, 200, [30, 120, 200]);
  const imageSha = createHash('sha256').update(image).digest('hex');
  media.add('MID-BROWSER', image, 'image/png');
  const archiver = startArchiver(db, f.server.ctx.mediaStore, f.graph.url, { key: f.key });
  after(() => archiver.stop());
  await f.inbound('PN-A', '628501', 'Halo, saya kirim foto', 'wamid.bm0', 'Sinta');
  await db.pool.query('update wa_threads set customer_window_expires_at = now() + interval \'1 day\' where contact_wa_id = \'628501\'');
  const w = (browser ? await watchedPage(browser, f.server.url) : null) as WatchedPage;
  const page = w?.page as Page;
  page?.setDefaultTimeout(10_000);
  const step = (name: string, fn: () => Promise<void>) => it(name, { skip: browser ? false : skipReason }, fn);
  const conversation = () => page.getByRole('region', { name: /./ }).filter({ has: page.locator('#thread-title') });

  step('an inbound image is archived by the worker and shown inline; the page gets Meta\'s bytes', async () => {
    await signInToInbox(page, f.inboxUrl, f.agentA.email);
    await page.getByRole('list', { name: 'Conversations' }).getByRole('listitem').filter({ hasText: 'Sinta' }).getByRole('link').click();
    await conversation().getByText('Halo, saya kirim foto').waitFor();
    await f.webhook(mediaChange('PN-A', '628501', 'image', { id: 'MID-BROWSER', mime_type: 'image/png', sha256: imageSha, caption: 'Foto paket rusak' }, 'wamid.bm1'));
    const thumb = conversation().getByRole('button', { name: /Open image full size/ });
    await thumb.waitFor();
    const img = thumb.locator('img');
    await eventually(async () => (await img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)) === 320, 'the image to decode');
    const digest = await img.evaluate(async (el) => {
      const bytes = await (await fetch((el as unknown as { src: string }).src)).arrayBuffer();
      return [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
    });
    assert.equal(digest, imageSha, 'the bytes the page fetched are the ones Meta sent');
    await conversation().getByText('Foto paket rusak').waitFor();
    await thumb.click();
    const dialog = page.getByRole('dialog', { name: 'Image' });
    await dialog.locator('img').waitFor();
    await screenshots(page, 'inbox-media-image-open');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await screenshots(page, 'inbox-media-thread');
    w.expectClean();
  });

  step('a file over the limit is refused with the server\'s reason, and the typed caption stays', async () => {
    const box = page.getByLabel('Reply', { exact: true });
    await page.locator('input[type=file]').setInputFiles({ name: 'besar.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(5 * 1024 * 1024 + 10, 7) });
    await page.getByLabel('Attachment').getByText('besar.jpg').waitFor();
    await box.fill('Ini fotonya');
    await page.getByRole('button', { name: 'Send file' }).click();
    const alert = page.getByRole('alert');
    await alert.getByText(/File too large: .*5 MB.*image/).waitFor();
    assert.equal(await box.inputValue(), 'Ini fotonya', 'the caption is kept');
    await page.getByRole('button', { name: 'Remove attachment besar.jpg' }).click();
    await page.locator('input[type=file]').setInputFiles({ name: 'anim.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a....') });
    await page.getByRole('button', { name: 'Send file' }).click();
    await alert.getByText(/File not accepted: type image\/gif/).waitFor();
    assert.equal(await box.inputValue(), 'Ini fotonya');
    await screenshots(page, 'inbox-media-refused');
    w.expectClean(['413 POST /api/meta/whatsapp/send-media', '400 POST /api/meta/whatsapp/send-media']);
  });

  step('the attach button sends a document with its caption: uploaded to Meta, then sent by id', async () => {
    const pdf = Buffer.from('%PDF-1.4\n% wabase browser test\n%%EOF\n');
    await page.getByRole('button', { name: 'Remove attachment anim.gif' }).click();
    await page.locator('input[type=file]').setInputFiles({ name: 'faktur-0042.pdf', mimeType: 'application/pdf', buffer: pdf });
    const box = page.getByLabel('Reply', { exact: true });
    await box.fill('Faktur Anda');
    await page.getByRole('button', { name: 'Send file' }).click();
    await eventually(() => media.uploads.length === 1, 'the upload to Meta');
    const download = conversation().getByRole('link', { name: /faktur-0042\.pdf/ });
    await download.waitFor();
    await conversation().getByText('Faktur Anda').waitFor();
    assert.equal(await box.inputValue(), '', 'the composer is cleared once queued');
    assert.ok(media.uploads[0]!.bytes.equals(pdf));
    await eventually(async () => (await db.pool.query('select status from wa_messages where type = \'document\'')).rows[0]?.status === 'sent', 'the send');
    const sent = f.graph.requests.filter((r) => r.path.endsWith('/messages')).at(-1)!;
    assert.deepEqual(sent.body.document, { caption: 'Faktur Anda', filename: 'faktur-0042.pdf', id: media.uploads[0]!.id });
    await screenshots(page, 'inbox-media-sent');
    w.expectClean();
  });
});
