/**
 * Meta announces a media file's SHA-256 (in the webhook and in `GET /{media_id}`). Payloads seen in
 * the wild carry it as hex or as base64, so a digest matches either spelling.
 */
export function matchesAnnounced(announced: string | null | undefined, digest: Buffer): boolean {
  if (!announced) return true;
  const given = announced.trim();
  return given.toLowerCase() === digest.toString('hex') || given === digest.toString('base64') || given === digest.toString('base64url');
}
