// send-media's content check: a file's leading bytes against its declared type, per type WhatsApp takes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../src/errors.js';
import { assertContentMatches, contentMismatch, TEXT_PROBE_BYTES } from '../../src/hub/media/magic-bytes.js';
import { MEDIA_LIMITS, SENDABLE_KINDS } from '../../src/hub/media/limits.js';
import { png } from '../helpers/media-files.js';

const bytes = (...parts: (number[] | string)[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
const ftyp = (brand: string) => bytes([0, 0, 0, 0x18], 'ftyp', brand, [0, 0, 0, 0], 'isom');
const ZIP = bytes([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0], '[Content_Types].xml');
const OLE2 = bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const GIF = bytes('GIF89a', [1, 0, 1, 0]);

/** Per declared type: contents that fit it, and contents (another format) that do not. */
const CASES: Record<string, { good: Buffer[]; bad: Buffer[]; label: RegExp }> = {
  'image/jpeg': { good: [bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF'), bytes([0xff, 0xd8, 0xff, 0xe1], 'Exif')], bad: [png(1, 1, [0, 0, 0]), GIF], label: /a JPEG image/ },
  'image/png': { good: [png(2, 2, [1, 2, 3])], bad: [bytes([0xff, 0xd8, 0xff, 0xe0]), GIF, bytes('PN')], label: /a PNG image/ },
  'video/mp4': { good: [ftyp('mp42'), ftyp('isom')], bad: [bytes('RIFF', [0, 0, 0, 0], 'AVI '), bytes([0x1a, 0x45, 0xdf, 0xa3])], label: /an MP4 video/ },
  'video/3gpp': { good: [ftyp('3gp5')], bad: [bytes('OggS', [0])], label: /a 3GP video/ },
  'audio/mp4': { good: [ftyp('M4A ')], bad: [bytes('ID3', [4, 0])], label: /an M4A/ },
  'audio/aac': { good: [bytes([0xff, 0xf1, 0x50, 0x80]), bytes([0xff, 0xf9, 0x50, 0x80])], bad: [bytes([0xff, 0xfb, 0x90]), ftyp('M4A ')], label: /an AAC/ },
  'audio/amr': { good: [bytes('#!AMR\n'), bytes('#!AMR-WB\n')], bad: [bytes('#!/bin/sh\n')], label: /an AMR audio file/ },
  'audio/mpeg': { good: [bytes('ID3', [4, 0, 0]), bytes([0xff, 0xfb, 0x90, 0x64]), bytes([0xff, 0xf3, 0x28])], bad: [bytes('OggS'), bytes([0xff, 0x00])], label: /an MP3 audio file/ },
  'audio/ogg': { good: [bytes('OggS', [0, 2])], bad: [bytes('ID3', [4])], label: /an OGG audio file/ },
  'application/pdf': { good: [bytes('%PDF-1.7\n')], bad: [bytes('MZ', [0x90, 0]), bytes(' %PDF')], label: /a PDF document/ },
  'text/plain': { good: [bytes('hello\nworld\n'), Buffer.from('Halo, apa kabar? 👋', 'utf8'), Buffer.alloc(0)], bad: [Buffer.from('hi', 'utf16le'), bytes([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0])], label: /plain text/ },
  'application/msword': { good: [OLE2], bad: [ZIP, bytes('%PDF')], label: /a Word \(\.doc\) document/ },
  'application/vnd.ms-excel': { good: [OLE2], bad: [ZIP], label: /an Excel \(\.xls\) workbook/ },
  'application/vnd.ms-powerpoint': { good: [OLE2], bad: [ZIP], label: /a PowerPoint \(\.ppt\) presentation/ },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { good: [ZIP], bad: [OLE2, bytes('PK', [5, 6])], label: /a Word \(\.docx\) document/ },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { good: [ZIP], bad: [OLE2], label: /an Excel \(\.xlsx\) workbook/ },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': { good: [ZIP], bad: [OLE2], label: /a PowerPoint \(\.pptx\) presentation/ },
};

describe('media content check (magic bytes)', () => {
  it('has a case for every type send-media accepts', () => {
    const accepted = SENDABLE_KINDS.flatMap((kind) => MEDIA_LIMITS[kind].mimes);
    assert.deepEqual([...accepted].sort(), Object.keys(CASES).sort());
  });

  for (const [mime, { good, bad, label }] of Object.entries(CASES)) {
    it(`${mime}: its own leading bytes pass, another format's are refused naming the field and the type`, () => {
      for (const content of good) assert.equal(contentMismatch(mime, content), null, `${mime}: ${content.subarray(0, 8).toString('hex')}`);
      for (const content of bad) {
        const reason = contentMismatch(mime, content);
        assert.ok(reason, `${mime} accepted ${content.subarray(0, 8).toString('hex')}`);
        assert.match(reason, /^file: the content is not /);
        assert.match(reason, label);
        assert.ok(reason.endsWith(`(declared ${mime})`), reason);
      }
    });
  }

  it('a file shorter than its signature is refused, not read past its end', () => {
    assert.match(contentMismatch('image/png', bytes([0x89, 0x50]))!, /not a PNG image/);
    assert.match(contentMismatch('video/mp4', bytes([0, 0, 0, 0x18, 0x66]))!, /not an MP4 video/);
    assert.match(contentMismatch('audio/mpeg', bytes([0xff]))!, /not an MP3/);
  });

  it('text/plain is searched for NUL only in its first 8 KB', () => {
    const late = Buffer.concat([Buffer.alloc(TEXT_PROBE_BYTES, 0x61), Buffer.from([0])]);
    assert.equal(contentMismatch('text/plain', late), null);
    const early = Buffer.concat([Buffer.alloc(TEXT_PROBE_BYTES - 1, 0x61), Buffer.from([0])]);
    assert.match(contentMismatch('text/plain', early)!, /^file: the content is not plain text \(declared text\/plain\)$/);
  });

  it('a type without a signature is not judged', () => {
    assert.equal(contentMismatch('image/webp', GIF), null);
  });

  it('assertContentMatches throws 400 media_type_mismatch with the message', () => {
    assert.doesNotThrow(() => assertContentMatches('image/png', png(1, 1, [0, 0, 0])));
    assert.throws(() => assertContentMatches('image/png', GIF), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'media_type_mismatch');
      assert.equal(error.status, 400);
      assert.equal(error.message, 'file: the content is not a PNG image (declared image/png)');
      return true;
    });
  });
});
