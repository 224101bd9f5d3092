import type { paths } from '../api/schema';

export type Template = paths['/api/meta/whatsapp/templates']['get']['responses']['200']['content']['application/json']['templates'][number];
type Parameters = NonNullable<paths['/api/meta/whatsapp/send-template']['post']['requestBody']>['content']['application/json']['parameters'];

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;
const placeholders = (text: string | undefined) => [...new Set([...(text ?? '').matchAll(PLACEHOLDER)].map((m) => m[1]!))];

/** One input the template needs: `key` is where its value goes in the form state. */
export interface TemplateField {
  key: string;
  label: string;
  kind: 'text' | 'url';
}

const component = (template: Template, type: string) => template.components.find((c) => c.type.toUpperCase() === type);
const MEDIA: Record<string, 'image' | 'video' | 'document'> = { IMAGE: 'image', VIDEO: 'video', DOCUMENT: 'document', GIF: 'video' };

/** The inputs a template's components ask for: header text or media link, body placeholders, button parameters. */
export function templateFields(template: Template): TemplateField[] {
  const fields: TemplateField[] = [];
  const header = component(template, 'HEADER');
  const format = (header?.format ?? 'TEXT').toUpperCase();
  if (header && format === 'TEXT' && placeholders(header.text).length > 0) fields.push({ key: 'header.text', label: 'Header', kind: 'text' });
  if (header && MEDIA[format]) fields.push({ key: `header.${MEDIA[format]}`, label: `Header ${format.toLowerCase()} link`, kind: 'url' });
  for (const name of placeholders(component(template, 'BODY')?.text)) fields.push({ key: `body.${name}`, label: `Body {{${name}}}`, kind: 'text' });
  (component(template, 'BUTTONS')?.buttons ?? []).forEach((button, index) => {
    const type = button.type.toUpperCase();
    if (type === 'URL' && placeholders(button.url).length > 0) fields.push({ key: `button.${index}.text`, label: `Button "${button.text ?? index}" link ending`, kind: 'text' });
    if (type === 'COPY_CODE') fields.push({ key: `button.${index}.couponCode`, label: `Button "${button.text ?? index}" code`, kind: 'text' });
  });
  return fields;
}

/** The body with what is typed so far in place of its placeholders. */
export function templatePreview(template: Template, values: Record<string, string>): string {
  return (component(template, 'BODY')?.text ?? '').replace(PLACEHOLDER, (all, name: string) => values[`body.${name}`] || all);
}

/** The send-template `parameters` from the form's values. */
export function templateParameters(template: Template, values: Record<string, string>): Parameters {
  const bodyNames = placeholders(component(template, 'BODY')?.text);
  const positional = bodyNames.every((name) => /^\d+$/.test(name));
  const parameters: NonNullable<Parameters> = {};
  const header: Record<string, unknown> = {};
  const buttons: { index: number; text?: string; couponCode?: string }[] = [];
  for (const [key, value] of Object.entries(values)) {
    if (!value) continue;
    const [part, a, b] = key.split('.');
    if (part === 'header' && a === 'text') header.text = value;
    else if (part === 'header' && a) header[a] = { link: value };
    else if (part === 'button' && a && b) buttons.push({ index: Number(a), [b]: value });
  }
  if (Object.keys(header).length > 0) parameters.header = header as NonNullable<Parameters>['header'];
  if (bodyNames.length > 0) {
    parameters.body = positional
      ? bodyNames.map((name) => values[`body.${name}`] ?? '')
      : Object.fromEntries(bodyNames.map((name) => [name, values[`body.${name}`] ?? '']));
  }
  if (buttons.length > 0) parameters.buttons = buttons;
  return parameters;
}
