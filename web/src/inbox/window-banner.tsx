import { useEffect, useState } from 'react';
import { cn } from '../ui/cn';

/** "in 3 h" / "in 25 min" from now to `at` (rounded down; under a minute: "in less than a minute"). */
function remaining(at: number, now: number): string {
  const minutes = Math.floor((at - now) / 60_000);
  if (minutes < 1) return 'in less than a minute';
  if (minutes < 60) return `in ${minutes} min`;
  return `in ${Math.floor(minutes / 60)} h`;
}

/** Now, ticking every 30 s, so a banner crosses "closed" without a reload. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** Whether free-form messages may be sent: the window's expiry is in the future. */
export const windowOpen = (expiresAt: string | null, now: number) => expiresAt !== null && Date.parse(expiresAt) > now;

/**
 * WhatsApp's 24-hour customer service window: while open, when it closes; when closed, that only
 * an approved template can be sent until the customer writes again.
 */
export function WindowBanner({ expiresAt, now }: { expiresAt: string | null; now: number }) {
  const open = windowOpen(expiresAt, now);
  const soon = open && Date.parse(expiresAt!) - now < 2 * 3600_000;
  return (
    <p
      role="status"
      data-window={open ? 'open' : 'closed'}
      className={cn('border-b px-3 py-1.5 text-xs', open ? (soon ? 'border-amber-200 bg-amber-50 text-amber-900' : 'border-slate-200 bg-slate-50 text-slate-600') : 'border-amber-200 bg-amber-50 text-amber-900')}
    >
      {open
        ? `Customer service window closes ${remaining(Date.parse(expiresAt!), now)}: free-form replies until then.`
        : expiresAt
          ? 'The customer service window is closed (24 h since the customer last wrote): only an approved template can be sent.'
          : 'The customer has not written yet: only an approved template can be sent.'}
    </p>
  );
}
