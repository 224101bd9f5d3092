import { useEffect, useState } from 'react';

/** Whole seconds left until `at` (0 once passed), ticking every second; null without a time. */
export function useCountdown(at: string | null | undefined): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!at) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [at]);
  if (!at) return null;
  return Math.max(0, Math.ceil((Date.parse(at) - now) / 1000));
}
