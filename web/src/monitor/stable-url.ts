import { useCallback, useEffect, useState } from 'react';

/** Re-read this long before a signed URL expires, so a page left open never shows a broken one. */
const MARGIN_MS = 5000;

interface Signed {
  id: string;
  url: string | null;
  expiresAt: string;
}

/**
 * The signed URL to show for a media item. Each re-read of the feed signs new URLs; keeping the one
 * already shown while it is valid stops media reloading on every poll. Shortly before it expires,
 * or when it fails to load, the newest URL replaces it, and the feed is re-read for a fresh one.
 */
export function useStableUrl(media: Signed, refetch: () => void): { url: string | null; failed: () => void } {
  const [shown, setShown] = useState<Signed>(media);
  const [stale, setStale] = useState(false);
  // Derived state: another item, or the one shown is stale and a newer URL has arrived.
  if (shown.id !== media.id || (stale && media.url !== shown.url)) {
    setShown(media);
    setStale(false);
  }
  const expired = useCallback(() => {
    setStale(true);
    refetch();
  }, [refetch]);
  // A load error only means "expired" once the URL's time is up (a clock ahead of the server's);
  // a file the browser cannot play is not re-fetched over and over.
  const failed = useCallback(() => {
    if (Date.parse(shown.expiresAt) - MARGIN_MS <= Date.now()) expired();
  }, [shown.expiresAt, expired]);
  useEffect(() => {
    const ms = Date.parse(shown.expiresAt) - Date.now() - MARGIN_MS;
    if (ms > 2 ** 31 - 1) return;
    const timer = window.setTimeout(expired, Math.max(0, ms));
    return () => window.clearTimeout(timer);
  }, [shown.expiresAt, expired]);
  return { url: shown.url, failed };
}
