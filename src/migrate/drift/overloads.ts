import type { Catalog } from '../catalog.js';

interface Argument {
  type: string;
  optional: boolean;
}

/** Splits `a int, b text DEFAULT 'x, y'::text` at top-level commas. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\'') quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')') depth--;
    else if (!quoted && depth === 0 && ch === ',') {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (text.trim()) parts.push(text.slice(start).trim());
  return parts;
}

/** The input arguments of `pg_get_function_arguments` text: type (name dropped) and whether it has a default. */
export function parseArguments(text: string): Argument[] {
  return splitTopLevel(text)
    .filter((arg) => !/^(OUT|TABLE)\s/i.test(arg))
    .map((arg) => {
      const [head] = arg.split(/\s+DEFAULT\s+/i) as [string];
      const words = head.replace(/^(IN|INOUT|VARIADIC)\s+/i, '').split(/\s+/);
      // `name type words…`: the first word is the name when more than one is left.
      const type = words.length > 1 ? words.slice(1).join(' ') : words[0]!;
      return { type, optional: /\sDEFAULT\s/i.test(arg) };
    });
}

/**
 * Whether some call of `wanted` also matches `other`, so PostgreSQL raises "function … is not
 * unique" (42725): a number of arguments both accept (between required and total) whose types
 * agree position by position.
 */
export function makesAmbiguous(wanted: Argument[], other: Argument[]): boolean {
  const required = (args: Argument[]) => args.filter((arg) => !arg.optional).length;
  for (let n = Math.max(required(wanted), required(other)); n <= Math.min(wanted.length, other.length); n++) {
    if (wanted.slice(0, n).every((arg, i) => arg.type === other[i]!.type)) return true;
  }
  return false;
}

/** Live overloads that make calls to a function of the lock ambiguous: [lock key, live key]. */
export function ambiguousOverloads(target: Catalog, live: Catalog): [string, string][] {
  const found: [string, string][] = [];
  const args = (props: unknown) => parseArguments(String((props as { arguments?: string } | null)?.arguments ?? ''));
  for (const [wantedKey, wantedProps] of Object.entries(target.functions ?? {})) {
    const name = wantedKey.slice(0, wantedKey.indexOf('('));
    for (const [liveKey, liveProps] of Object.entries(live.functions ?? {})) {
      if (liveKey === wantedKey || liveKey in (target.functions ?? {}) || liveKey.slice(0, liveKey.indexOf('(')) !== name) continue;
      if (makesAmbiguous(args(wantedProps), args(liveProps))) found.push([wantedKey, liveKey]);
    }
  }
  return found;
}
