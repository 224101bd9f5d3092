import { Outlet } from '@tanstack/react-router';
import { LiveContext, usePollInterval } from '../live/live-context';
import { SAFETY_POLL_MS } from './queries';
import { useMonitorEvents } from './use-monitor-events';

/**
 * The layout around the monitor's pages: one event stream for all five, kept open while the person
 * moves between them, and its state for their queries and the Live badge.
 */
export function MonitorLive() {
  const live = useMonitorEvents();
  return (
    <LiveContext.Provider value={live}>
      <Outlet />
    </LiveContext.Provider>
  );
}

/** A monitor query's re-read interval: none while live, a slow safety poll while the stream is down. */
export const useMonitorPoll = () => usePollInterval(SAFETY_POLL_MS);
