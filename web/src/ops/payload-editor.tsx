import { Field, Textarea } from '../ui/field';

export type ParsedPayload = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

/**
 * The editor's text as a payload: empty means `{}` (as the API stores it); anything else must be
 * a JSON object, with the API's wording when it is not.
 */
export function parsePayload(text: string): ParsedPayload {
  if (text.trim() === '') return { ok: true, value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `Not valid JSON: ${(error as Error).message}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, message: 'payload must be a JSON object' };
  return { ok: true, value: value as Record<string, unknown> };
}

/** A JSON textarea that validates as you type. */
export function PayloadEditor({ value, onChange, label = 'Payload (JSON object)' }: { value: string; onChange: (text: string) => void; label?: string }) {
  const parsed = parsePayload(value);
  return (
    <Field label={label} hint={parsed.ok ? 'Leave empty for {}.' : undefined} error={parsed.ok ? null : parsed.message}>
      {(props) => <Textarea {...props} rows={8} spellCheck={false} value={value} onChange={(e) => onChange(e.target.value)} placeholder="{}" />}
    </Field>
  );
}
