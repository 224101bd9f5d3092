/** Channel the ingest trigger notifies when it records media jobs (migration 20261203100000). */
export const MEDIA_JOBS_CHANNEL = 'wabase_media_jobs';
