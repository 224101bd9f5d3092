import { useEffect, useState } from 'react';

/** Whole seconds left until `at` (0 once passed), re-read four times a second; null without a time. */
export function useCountdown(at: string | null | undefined): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 250);
    return () => window.clearInterval(timer);
  }, []);
  if (!at) return null;
  return Math.max(0, Math.floor((Date.parse(at) - now) / 1000));
}
