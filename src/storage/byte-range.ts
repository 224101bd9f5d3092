/**
 * One byte range of an HTTP `Range` header (`bytes=0-1023`, `bytes=500-`, `bytes=-500`), as
 * media players send it to seek (Safari plays video and audio only from a server that answers
 * ranges). Several ranges in one header are answered whole (null), as RFC 9110 allows; a range
 * that starts past the end is `unsatisfiable` (416).
 */
export function byteRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === '' && match[2] === '')) return null;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}
