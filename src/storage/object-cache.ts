import { readFile, stat } from 'node:fs/promises';

/** Objects up to this size are kept in memory (thumbnails, voice notes); larger ones are streamed. */
export const CACHED_OBJECT_MAX_BYTES = 256 * 1024;

/**
 * Small media objects in memory, least recently used out first, up to `maxBytes` in all. Media is
 * content-addressed (`{sha256}/original.ext`): an object's bytes never change, so a cached copy
 * is never stale. A page of 50 thumbnails is then 50 lookups instead of 200 file-system calls
 * (stat, open, read, close) queued on libuv's 4 threads.
 */
export class ObjectCache {
  private readonly entries = new Map<string, Buffer>();
  private bytes = 0;

  constructor(private readonly maxBytes = 32 * 1024 * 1024) {}

  /** The file's bytes when it is small (from memory after the first read), `{ size }` when it is not, null when there is none. */
  async read(file: string): Promise<Buffer | { size: number } | null> {
    const hit = this.entries.get(file);
    if (hit) {
      // Most recently used goes last.
      this.entries.delete(file);
      this.entries.set(file, hit);
      return hit;
    }
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return null;
    if (info.size > CACHED_OBJECT_MAX_BYTES) return { size: info.size };
    const bytes = await readFile(file).catch(() => null);
    if (!bytes) return null;
    this.entries.set(file, bytes);
    this.bytes += bytes.length;
    for (const [key, value] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(key);
      this.bytes -= value.length;
    }
    return bytes;
  }
}
