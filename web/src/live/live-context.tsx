import { createContext, useContext } from 'react';
import type { LiveState } from './use-live-stream';

export const LiveContext = createContext<LiveState>({ mode: 'connecting' });

/**
 * How often a live page's queries re-read: never while events arrive; the server's interval while
 * it cannot LISTEN; `whileDown` (a slow safety poll, or none) while the stream is reconnecting.
 */
export function usePollInterval(whileDown: number | false = false): number | false {
  const live = useContext(LiveContext);
  return live.mode === 'live' ? false : live.mode === 'polling' ? live.pollMs : whileDown;
}

/** Tells the person whether the page updates by itself. */
export function LiveBadge() {
  const live = useContext(LiveContext);
  const label = live.mode === 'live' ? 'Live' : live.mode === 'polling' ? 'Updating every few seconds' : 'Reconnecting…';
  const dot = live.mode === 'live' ? 'bg-emerald-500' : live.mode === 'polling' ? 'bg-amber-500' : 'bg-slate-400 animate-pulse';
  return (
    <span role="status" className="inline-flex items-center gap-1.5 rounded-full bg-white px-2 py-0.5 text-xs text-slate-600 ring-1 ring-slate-200" data-live={live.mode}>
      <span className={`size-2 rounded-full ${dot}`} aria-hidden />
      {label}
    </span>
  );
}
