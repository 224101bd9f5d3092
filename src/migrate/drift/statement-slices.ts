import { scanStatement, type Token } from '../split.js';

/**
 * Pieces of a statement's own text, cut at its tokens (quotes, comments and nesting respected by
 * the Postgres scanner): what a read-only probe re-uses verbatim, as the push would run it anyway.
 */

const word = (t: Token | undefined, ...words: string[]) => t !== undefined && t.keyword && words.includes(t.text.toLowerCase());

/** The tokens at parenthesis depth 0 are split at top-level commas between `open` and its `)`. */
function list(tokens: Token[], open: number): { items: Token[][]; close: number } | null {
  const items: Token[][] = [[]];
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.text === '(' && depth++ === 0) continue;
    if (t.text === ')' && --depth === 0) return { items, close: i };
    if (t.text === ',' && depth === 1) items.push([]);
    else items.at(-1)!.push(t);
  }
  return null;
}

const slice = (text: Buffer, from: Token, to: Token) => text.subarray(from.start, to.end).toString();

/** One index element, as text that can stand in a GROUP BY: without its opclass, ASC/DESC and NULLS FIRST/LAST. */
function element(text: Buffer, tokens: Token[], elem: { opclass?: unknown[]; opclassopts?: unknown[] }): string | null {
  let end = tokens.length;
  if (word(tokens[end - 1], 'first', 'last') && word(tokens[end - 2], 'nulls')) end -= 2;
  if (word(tokens[end - 1], 'asc', 'desc')) end -= 1;
  if (elem.opclassopts?.length) return null;
  // A schema-qualified opclass is `name . name`.
  if (elem.opclass?.length) end -= elem.opclass.length * 2 - 1;
  if (end <= 0) return null;
  // `((lower(name)))` → `lower(name)`: the element's own parentheses are syntax, not part of the expression.
  let from = 0;
  while (tokens[from]?.text === '(' && list(tokens.slice(from, end), 0)?.close === end - from - 1) {
    from++;
    end--;
  }
  return slice(text, tokens[from]!, tokens[end - 1]!);
}

/**
 * `create unique index … on t (…) … where …`: each element's text (in order) and the predicate's.
 * Null when the statement's shape is not the expected one (then the index is not probed).
 */
export function indexSlices(sql: string, elems: { opclass?: unknown[]; opclassopts?: unknown[] }[]): { elements: string[]; predicate: string | null } | null {
  const { text, tokens } = cut(sql);
  const on = tokens.findIndex((t) => word(t, 'on'));
  const open = tokens.findIndex((t, i) => i > on && t.text === '(');
  if (on < 0 || open < 0) return null;
  const found = list(tokens, open);
  if (!found || found.items.length !== elems.length) return null;
  const elements = found.items.map((item, i) => (item.length ? element(text, item, elems[i]!) : null));
  if (elements.some((e) => e === null)) return null;
  let depth = 0;
  let where = -1;
  for (let i = found.close + 1; i < tokens.length && where < 0; i++) {
    const t = tokens[i]!;
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (depth === 0 && word(t, 'where')) where = i;
  }
  const predicate = where >= 0 && where + 1 < tokens.length ? slice(text, tokens[where + 1]!, tokens.at(-1)!) : null;
  return { elements: elements as string[], predicate };
}

/** The text after each top-level `using` of an `alter table`, up to the next top-level comma: its type changes' USING expressions, in order. */
export function usingSlices(sql: string): string[] {
  const { text, tokens } = cut(sql);
  const found: string[] = [];
  let depth = 0;
  let from = -1;
  const close = (to: number) => {
    if (from >= 0 && to > from) found.push(slice(text, tokens[from]!, tokens[to - 1]!));
    from = -1;
  };
  tokens.forEach((t, i) => {
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (depth === 0 && t.text === ',') close(i);
    else if (depth === 0 && word(t, 'using')) from = i + 1;
  });
  close(tokens.length);
  return found;
}

function cut(sql: string): { text: Buffer; tokens: Token[] } {
  return { text: Buffer.from(sql), tokens: scanStatement(sql).filter((t) => !t.comment) };
}
