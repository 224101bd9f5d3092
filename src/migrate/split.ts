/** One statement of a migration file, as the Supabase CLI stores it, with where it sits in the file. */
export interface Statement {
  /** Text between two top-level semicolons, trimmed (leading comments kept), without the `;`. */
  text: string;
  /** Offset of `text` in the file. */
  offset: number;
  /** Parse-tree node kind, e.g. `CreateStmt`; `Comment` for a comment-only remainder. */
  kind: string;
  /** The raw parse-tree node (for lint and transaction checks). */
  node: Record<string, unknown> | null;
}

export class SqlSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

type ParseSync = (sql: string) => unknown;
let parseSync: ParseSync | null = null;
type RawToken = { start: number; end: number; text: string; tokenName: string; keywordName: string };
let scanSync: ((sql: string) => { tokens: RawToken[] }) | null = null;

/** A token of the Postgres scanner; `start`/`end` are byte offsets in the UTF-8 text. */
export interface Token { start: number; end: number; text: string; keyword: boolean; comment: boolean }
let loaded: Promise<void> | null = null;
/**
 * Loads the WASM Postgres parser once per process. Imported lazily: its loader alone costs tens
 * of milliseconds, which a push with nothing to apply should not pay.
 */
export function loadParser(): Promise<void> {
  loaded ??= import('libpg-query').then(async (mod) => {
    await mod.loadModule();
    parseSync = mod.parseSync as ParseSync;
    scanSync = mod.scanSync as typeof scanSync;
  });
  return loaded;
}

/** The scanner's tokens of `sql` (the parser must be loaded: `loadParser`). */
export function scanStatement(sql: string): Token[] {
  if (!scanSync) throw new Error('call loadParser() before scanStatement()');
  return scanSync(sql).tokens.map((t) => ({ start: t.start, end: t.end, text: t.text, keyword: t.keywordName !== 'NO_KEYWORD',
    comment: t.tokenName === 'SQL_COMMENT' || t.tokenName === 'C_COMMENT' }));
}

function trimmed(sql: string, start: number, end: number): { text: string; offset: number } {
  const raw = sql.slice(start, end);
  const lead = raw.length - raw.trimStart().length;
  return { text: raw.trim().replace(/;+$/, '').trim(), offset: start + lead };
}

/**
 * Splits SQL into statements with the real Postgres parser. The texts equal what the Supabase CLI
 * writes to `schema_migrations.statements` (split at top-level `;`, trimmed), so histories written
 * by either tool compare equal. Call `loadParser()` first.
 */
export function splitStatements(sql: string): Statement[] {
  let tree: { stmts?: { stmt: Record<string, unknown>; stmt_location?: number; stmt_len?: number }[] };
  if (!parseSync) throw new Error('call loadParser() before splitStatements()');
  try {
    tree = parseSync(sql) as typeof tree;
  } catch (error) {
    const details = (error as { sqlDetails?: { cursorPosition?: number; message?: string } }).sqlDetails;
    throw new SqlSyntaxError(details?.message ?? String(error), details?.cursorPosition ?? 0);
  }
  const statements: Statement[] = [];
  // The parser's locations count UTF-8 bytes; the text is sliced by characters.
  const at = charOffsets(sql);
  let cursor = 0;
  for (const entry of tree.stmts ?? []) {
    const end = entry.stmt_len ? at((entry.stmt_location ?? 0) + entry.stmt_len) : sql.length;
    const { text, offset } = trimmed(sql, cursor, end);
    const kind = Object.keys(entry.stmt)[0] ?? 'Unknown';
    if (text)
      statements.push({ text, offset, kind, node: (entry.stmt[kind] as Record<string, unknown>) ?? null });
    cursor = sql[end] === ';' ? end + 1 : end;
  }
  // The Supabase CLI keeps a trailing comment after the last `;` as a statement of its own.
  const rest = trimmed(sql, cursor, sql.length);
  if (rest.text) statements.push({ text: rest.text, offset: rest.offset, kind: 'Comment', node: null });
  return statements;
}

/** Maps a UTF-8 byte offset of `text` to its UTF-16 index (the identity for ASCII text). */
function charOffsets(text: string): (byteOffset: number) => number {
  if (Buffer.byteLength(text) === text.length) return (byteOffset) => byteOffset;
  const index = new Uint32Array(Buffer.byteLength(text) + 1);
  let byte = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i)!;
    const bytes = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    for (let b = 0; b < bytes; b++) index[byte + b] = i;
    byte += bytes;
    if (code >= 0x10000) i++; // a surrogate pair is one code point
  }
  index[byte] = text.length;
  return (byteOffset) => index[Math.min(byteOffset, byte)]!;
}

/** 1-based line and column of an offset in a text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { line, column };
}
