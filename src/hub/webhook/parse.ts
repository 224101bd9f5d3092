/**
 * Parsing a webhook body with a bound on nesting. JSON.parse takes any depth, but what comes after
 * does not: JSON.stringify (the event hash, the database call) overflows the stack at a few
 * thousand levels and PostgreSQL's jsonb parser has a stack limit too, so one over-deep POST would
 * fail every POST batched with it. Meta's payloads nest about ten levels.
 */

/** Nesting levels kept as JSON (a Meta payload uses about 10); deeper parts are kept as text. */
export const MAX_JSON_DEPTH = 64;

/** An over-deep part of a body, kept as its JSON text. Stored as `{nesting_too_deep: text}`. */
export class TooDeep {
  constructor(readonly text: string) {}
  toJSON() {
    return { nesting_too_deep: this.text };
  }
}

/** Set on a parsed body's root when some part of it was replaced by a TooDeep. */
export const HAS_TOO_DEEP = Symbol('wabase.hasTooDeep');

/**
 * JSON.parse, except that any array or object nested deeper than MAX_JSON_DEPTH becomes a TooDeep
 * holding its text (measured in one pass over the text, outside strings). Throws SyntaxError for
 * text that is not JSON, as JSON.parse does.
 */
export function parseWebhookJson(text: string): unknown {
  const cuts: [number, number][] = [];
  let depth = 0;
  let inString = false;
  let cutStart = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth === MAX_JSON_DEPTH + 1) cutStart = i;
    } else if (c === 0x5d || c === 0x7d) {
      if (depth === MAX_JSON_DEPTH + 1 && cutStart >= 0) {
        cuts.push([cutStart, i + 1]);
        cutStart = -1;
      }
      depth--;
    }
  }
  if (cuts.length === 0) return JSON.parse(text);
  // Each cut becomes a string literal (a placeholder), turned back into a TooDeep by the reviver.
  const placeholders = new Map<string, string>();
  const parts: string[] = [];
  let at = 0;
  for (const [start, end] of cuts) {
    const inner = text.slice(start, end);
    const placeholder = `\u0000wabase-too-deep-${placeholders.size}`;
    placeholders.set(placeholder, inner);
    parts.push(text.slice(at, start), JSON.stringify(placeholder));
    at = end;
  }
  parts.push(text.slice(at));
  const root: unknown = JSON.parse(parts.join(''), (_key, value: unknown) =>
    (typeof value === 'string' && placeholders.has(value) ? new TooDeep(placeholders.get(value)!) : value));
  if (root && typeof root === 'object') (root as Record<symbol, boolean>)[HAS_TOO_DEEP] = true;
  return root;
}

/** True when `value` (a part of a body parseWebhookJson returned) holds a TooDeep. No recursion. */
export function holdsTooDeep(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    if (next instanceof TooDeep) return true;
    if (next && typeof next === 'object') for (const inner of Object.values(next)) stack.push(inner);
  }
  return false;
}
