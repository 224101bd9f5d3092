/** Escapes LIKE wildcards in user text and wraps it for a contains match (`ilike $n`). */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
