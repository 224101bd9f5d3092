import { InputError } from '../../errors.js';

/**
 * Does a file's content fit its declared type? Its leading bytes ("magic numbers") against what
 * each type WhatsApp accepts starts with, so a renamed file (a GIF called .png, an .exe called
 * .pdf) is refused here rather than by Meta after it was queued. Only the start is read: at most
 * TEXT_PROBE_BYTES.
 */
interface Signature {
  /** How a person names it: "a PNG image". */
  label: string;
  matches: (head: Uint8Array) => boolean;
}

/** How far a text/plain file is searched for NUL bytes (a binary file has them early). */
export const TEXT_PROBE_BYTES = 8 * 1024;

const at = (head: Uint8Array, offset: number, bytes: readonly number[]) =>
  head.length >= offset + bytes.length && bytes.every((b, i) => head[offset + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47];
const FTYP = ascii('ftyp');
const PDF = ascii('%PDF');
const OGG = ascii('OggS');
const ID3 = ascii('ID3');
const AMR = ascii('#!AMR');
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0];

/** An ISO base media file (MP4, 3GP, M4A): a box of type `ftyp` first, its type at offset 4. */
const isoMedia = (head: Uint8Array) => at(head, 4, FTYP);
/** An MPEG audio frame header: 11 sync bits (FF Ex / FF Fx). */
const mpegFrame = (head: Uint8Array) => head.length >= 2 && head[0] === 0xff && (head[1]! & 0xe0) === 0xe0;
/** ADTS, how an .aac file is framed: 12 sync bits and layer 0 (FF F1, or FF F9 for MPEG-2). */
const adts = (head: Uint8Array) => head.length >= 2 && head[0] === 0xff && (head[1] === 0xf1 || head[1] === 0xf9);
/** Plain text has no NUL byte (UTF-16 does, and WhatsApp shows text/plain as UTF-8). */
const text = (head: Uint8Array) => !head.subarray(0, TEXT_PROBE_BYTES).includes(0);

const ooxml = (label: string): Signature => ({ label, matches: (head) => at(head, 0, ZIP) });
const legacyOffice = (label: string): Signature => ({ label, matches: (head) => at(head, 0, OLE2) });

const SIGNATURES: Record<string, Signature> = {
  'image/jpeg': { label: 'a JPEG image', matches: (head) => at(head, 0, JPEG) },
  'image/png': { label: 'a PNG image', matches: (head) => at(head, 0, PNG) },
  'video/mp4': { label: 'an MP4 video', matches: isoMedia },
  'video/3gpp': { label: 'a 3GP video', matches: isoMedia },
  'audio/mp4': { label: 'an M4A (MP4) audio file', matches: isoMedia },
  'audio/aac': { label: 'an AAC (ADTS) audio file', matches: adts },
  'audio/amr': { label: 'an AMR audio file', matches: (head) => at(head, 0, AMR) },
  'audio/mpeg': { label: 'an MP3 audio file', matches: (head) => at(head, 0, ID3) || mpegFrame(head) },
  'audio/ogg': { label: 'an OGG audio file', matches: (head) => at(head, 0, OGG) },
  'application/pdf': { label: 'a PDF document', matches: (head) => at(head, 0, PDF) },
  'text/plain': { label: 'plain text', matches: text },
  'application/msword': legacyOffice('a Word (.doc) document'),
  'application/vnd.ms-excel': legacyOffice('an Excel (.xls) workbook'),
  'application/vnd.ms-powerpoint': legacyOffice('a PowerPoint (.ppt) presentation'),
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ooxml('a Word (.docx) document'),
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ooxml('an Excel (.xlsx) workbook'),
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': ooxml('a PowerPoint (.pptx) presentation'),
};

/**
 * What is wrong with `head` (the file's first bytes, TEXT_PROBE_BYTES suffice) for the type
 * `mime` (a base type, as checkMedia returns it): a reason naming the field, or null when it fits.
 * A type without a signature here is not judged.
 */
export function contentMismatch(mime: string, head: Uint8Array): string | null {
  const signature = SIGNATURES[mime];
  if (!signature || signature.matches(head)) return null;
  return `file: the content is not ${signature.label} (declared ${mime})`;
}

/** 400 media_type_mismatch when the file's content is not what its type says. */
export function assertContentMatches(mime: string, head: Uint8Array): void {
  const reason = contentMismatch(mime, head);
  if (reason) throw new InputError(reason, 'media_type_mismatch');
}
