import { z } from 'zod';
import { InputError } from '../../errors.js';

/** A template component as Meta's `GET /{waba_id}/message_templates` returns it. */
export interface TemplateComponent {
  type: string;
  format?: string;
  text?: string;
  buttons?: { type: string; text?: string; url?: string; phone_number?: string }[];
}

const media = z.object({ link: z.url().max(2000).optional(), id: z.string().max(200).optional(), filename: z.string().max(240).optional() })
  .refine((value) => Boolean(value.link) !== Boolean(value.id), 'give exactly one of link or id');
const paramText = z.string().trim().min(1, 'must not be empty').max(1024, 'must be at most 1024 characters');

/** What a caller gives for a template's placeholders. */
export const templateParameters = z.object({
  header: z.object({
    text: paramText.optional(),
    image: media.optional(),
    video: media.optional(),
    document: media.optional(),
    location: z.object({
      latitude: z.number(), longitude: z.number(), name: z.string().max(200).optional(), address: z.string().max(500).optional(),
    }).optional(),
  }).optional(),
  body: z.union([z.array(paramText).max(100), z.record(z.string().max(64), paramText)]).optional(),
  buttons: z.array(z.object({
    index: z.number().int().min(0).max(9),
    text: paramText.optional(),
    payload: z.string().max(1000).optional(),
    couponCode: z.string().max(15).optional(),
  })).max(10).optional(),
}).default({});
export type TemplateParameters = z.output<typeof templateParameters>;

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;
const MEDIA_FORMATS = { IMAGE: 'image', VIDEO: 'video', DOCUMENT: 'document', GIF: 'video' } as const;

/** The distinct placeholders of a text, in order of first appearance. */
function placeholders(text: string | undefined): string[] {
  if (!text) return [];
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1]!))];
}

const fail = (field: string, message: string): never => {
  throw new InputError(`parameters.${field}: ${message}`, 'template_parameters_mismatch');
};

export interface ValidatedTemplate {
  /** The `components` of the Graph send. */
  components: Record<string, unknown>[];
  /** The body with its placeholders filled in: what the thread shows. */
  preview: string;
}

/**
 * Checks `parameters` against an approved template's components (issue 17): the header's kind and
 * its one text parameter, the body's placeholders (positional `{{1}}`, as an array in order, or
 * named, as an object with exactly those names), and button parameters (URL buttons with a
 * placeholder, quick replies' payloads, copy-code coupons). 400 `template_parameters_mismatch`
 * naming the field otherwise. Returns the Graph components and a preview.
 */
export function validateTemplateParameters(components: readonly TemplateComponent[], parameters: TemplateParameters): ValidatedTemplate {
  const out: Record<string, unknown>[] = [];
  let preview = '';
  const header = components.find((c) => c.type.toUpperCase() === 'HEADER');
  const given = parameters.header ?? {};
  const givenKinds = Object.keys(given).filter((kind) => given[kind as keyof typeof given] !== undefined);
  if (!header) {
    if (givenKinds.length > 0) fail('header', 'this template has no header');
  } else {
    const format = (header.format ?? 'TEXT').toUpperCase();
    if (format === 'TEXT') {
      const names = placeholders(header.text);
      if (names.length === 0 && givenKinds.length > 0) fail('header', 'this template\'s header takes no parameter');
      if (names.length > 0) {
        if (givenKinds.length !== 1 || !given.text) fail('header.text', 'this template\'s header needs one text parameter');
        out.push({ type: 'header', parameters: [{ type: 'text', text: given.text }] });
      }
    } else if (format in MEDIA_FORMATS) {
      const kind = MEDIA_FORMATS[format as keyof typeof MEDIA_FORMATS];
      const value = given[kind];
      if (!value || givenKinds.length !== 1) fail(`header.${kind}`, `this template's header is ${format === 'IMAGE' ? 'an' : 'a'} ${format}: give header.${kind} (link or id)`);
      out.push({ type: 'header', parameters: [{ type: kind, [kind]: value }] });
    } else if (format === 'LOCATION') {
      if (!given.location || givenKinds.length !== 1) fail('header.location', 'this template\'s header is a LOCATION: give header.location');
      out.push({ type: 'header', parameters: [{ type: 'location', location: given.location }] });
    } else if (givenKinds.length > 0) fail('header', `this template's ${format} header takes no parameter`);
  }

  const body = components.find((c) => c.type.toUpperCase() === 'BODY');
  const names = placeholders(body?.text);
  const positional = names.every((name) => /^\d+$/.test(name));
  if (names.length === 0) {
    if (parameters.body && Object.keys(parameters.body).length > 0) fail('body', 'this template\'s body takes no parameters');
    preview = body?.text ?? '';
  } else if (positional) {
    const values = parameters.body;
    if (!Array.isArray(values)) fail('body', `this template's body needs ${names.length} parameter(s), as an array in order`);
    const list = values as string[];
    if (list.length !== names.length) fail('body', `this template's body needs ${names.length} parameter(s), got ${list.length}`);
    out.push({ type: 'body', parameters: list.map((text) => ({ type: 'text', text })) });
    preview = body!.text!.replace(PLACEHOLDER, (_all, name: string) => list[Number(name) - 1] ?? `{{${name}}}`);
  } else {
    const values = parameters.body;
    if (!values || Array.isArray(values)) fail('body', `this template's body needs the named parameters ${names.join(', ')}, as an object`);
    const record = values as Record<string, string>;
    const missing = names.filter((name) => !record[name]);
    const extra = Object.keys(record).filter((name) => !names.includes(name));
    if (missing.length > 0) fail(`body.${missing[0]}`, 'missing');
    if (extra.length > 0) fail(`body.${extra[0]}`, 'this template has no such parameter');
    out.push({ type: 'body', parameters: names.map((name) => ({ type: 'text', parameter_name: name, text: record[name] })) });
    preview = body!.text!.replace(PLACEHOLDER, (_all, name: string) => record[name] ?? `{{${name}}}`);
  }

  const buttons = components.find((c) => c.type.toUpperCase() === 'BUTTONS')?.buttons ?? [];
  const givenButtons = new Map((parameters.buttons ?? []).map((button) => [button.index, button]));
  if (givenButtons.size !== (parameters.buttons ?? []).length) fail('buttons', 'each index at most once');
  buttons.forEach((button, index) => {
    const type = button.type.toUpperCase();
    const value = givenButtons.get(index);
    givenButtons.delete(index);
    if (type === 'URL' && placeholders(button.url).length > 0) {
      if (!value?.text) fail(`buttons[${index}].text`, 'this URL button needs the text that completes its link');
      out.push({ type: 'button', sub_type: 'url', index: String(index), parameters: [{ type: 'text', text: value!.text }] });
    } else if (type === 'QUICK_REPLY') {
      if (value?.text || value?.couponCode) fail(`buttons[${index}]`, 'a quick reply button takes only a payload');
      if (value?.payload) out.push({ type: 'button', sub_type: 'quick_reply', index: String(index), parameters: [{ type: 'payload', payload: value.payload }] });
    } else if (type === 'COPY_CODE') {
      if (!value?.couponCode) fail(`buttons[${index}].couponCode`, 'this copy-code button needs the code');
      out.push({ type: 'button', sub_type: 'copy_code', index: String(index), parameters: [{ type: 'coupon_code', coupon_code: value!.couponCode }] });
    } else if (value) fail(`buttons[${index}]`, `this ${type} button takes no parameter`);
  });
  const [stray] = givenButtons.keys();
  if (stray !== undefined) fail(`buttons`, `this template has no button at index ${stray}`);
  return { components: out, preview };
}
