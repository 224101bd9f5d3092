import type { Pool } from '../../db/pool.js';
import { archiveMedia } from '../../monitor/ingest/media.js';
import type { MediaStore } from '../../storage/store.js';
import { matchesAnnounced } from './announced-hash.js';
import { once } from './once.js';
import type { MediaGraph } from './graph-media.js';
import { MEDIA_LIMITS, type MediaKind } from './limits.js';

/** A claimed inbound media job (claim_wa_media_jobs, migration 20261203100000). */
export interface MediaJob {
  message_id: string;
  workspace_id: string;
  connection_id: string | null;
  kind: MediaKind;
  meta_media_id: string | null;
  mime: string | null;
  announced_sha256: string | null;
  file_name: string | null;
  attempts: number;
  received_at: Date;
}

/** Where a job's download goes through: the message's connection and its token. */
export type JobConnection = { phoneNumberId: string; token: string } | { problem: string };

export type JobOutcome =
  | { state: 'stored'; mediaId: string; reused: boolean } |
  { state: 'retry'; code: string; message: string } |
  { state: 'failed' | 'expired'; code: string; message: string };

/** Media ids in webhooks expire after 7 days (Meta, research notes §4.4): past that, nothing to fetch. */
export const WEBHOOK_MEDIA_ID_LIFETIME_MS = 7 * 86_400_000;

export interface ArchiveDeps {
  pool: Pool;
  store: MediaStore;
  graph: MediaGraph;
}

/**
 * One inbound media item: resolve Meta's id to a URL, download it with the same token (a URL that
 * stopped working is resolved once more: they live about 5 minutes and work once in the test
 * double), check the size and Meta's sha256, then archive it by sha256 in the group monitor's store
 * (one object and one public.media row per content). Never throws for Meta's answers.
 */
export async function archiveJob(deps: ArchiveDeps, job: MediaJob, connection: JobConnection, now = Date.now()): Promise<JobOutcome> {
  if (now - job.received_at.getTime() > WEBHOOK_MEDIA_ID_LIFETIME_MS) {
    return { state: 'expired', code: 'media_id_expired', message: 'Meta keeps webhook media ids 7 days; this one is older' };
  }
  if (!job.meta_media_id) return { state: 'failed', code: 'no_media_id', message: 'The message carries no media id' };
  if ('problem' in connection) return { state: 'failed', code: 'connection_unusable', message: connection.problem };
  const maxBytes = MEDIA_LIMITS[job.kind].maxBytes;
  let resolvedSha: string | null = null;
  let resolvedMime: string | null = null;
  let download: Awaited<ReturnType<MediaGraph['download']>> | null = null;
  for (let round = 0; round < 2; round++) {
    const resolved = await deps.graph.resolve(job.meta_media_id, connection.phoneNumberId, connection.token);
    if (!resolved.ok) return { state: resolved.retryable ? 'retry' : 'failed', code: resolved.code, message: resolved.message };
    resolvedSha = resolved.value.sha256;
    resolvedMime = resolved.value.mime;
    if (resolved.value.fileSize !== null && resolved.value.fileSize > maxBytes) {
      return { state: 'failed', code: 'too_large', message: `Meta says the file has ${resolved.value.fileSize} bytes; a ${job.kind} may have ${maxBytes}` };
    }
    download = await deps.graph.download(resolved.value.url, connection.token, maxBytes);
    if (download.ok || !('expired' in download)) break;
  }
  if (!download || !download.ok) {
    if (download && 'expired' in download) return { state: 'retry', code: 'url_expired', message: `${download.message} twice, right after resolving` };
    return { state: download?.retryable ? 'retry' : 'failed', code: download?.code ?? 'no_download', message: download?.message ?? 'Not downloaded' };
  }
  const { bytes, sha256 } = download.value;
  if (bytes.length === 0) return { state: 'retry', code: 'empty_download', message: 'The download had 0 bytes' };
  if (!matchesAnnounced(job.announced_sha256, sha256) || !matchesAnnounced(resolvedSha, sha256)) {
    return {
      state: 'failed',
      code: 'sha256_mismatch',
      message: `The downloaded file's sha256 ${sha256.toString('hex')} is not the one Meta announced (${job.announced_sha256 ?? resolvedSha}): not stored`,
    };
  }
  const mime = job.mime ?? resolvedMime ?? download.value.contentType ?? 'application/octet-stream';
  const ref = { mime, fileLength: bytes.length, width: null, height: null, durationS: null, fileName: job.file_name };
  const outcome = await archiveMedia(deps.pool, deps.store, ref, async () => once(bytes), maxBytes);
  if ('skipped' in outcome) return { state: 'failed', code: outcome.skipped, message: `Not archived: ${outcome.skipped}` };
  return { state: 'stored', mediaId: outcome.mediaId, reused: outcome.reused };
}
