import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { LiveBadge } from '../live/live-context';

const TAB = 'rounded-md px-3 py-1.5 text-sm font-medium text-slate-600 hover:bg-slate-100 [&.active]:bg-slate-900 [&.active]:text-white';

/** The monitor's own navigation above each of its pages, the page heading, and whether it updates by itself. */
export function MonitorLayout({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-4">
      <nav aria-label="Group monitor" className="-mx-1 flex gap-1 overflow-x-auto pb-1">
        <Link to="/monitor" activeOptions={{ exact: true }} className={TAB}>Session</Link>
        <Link to="/monitor/groups" search={{}} className={TAB}>Groups</Link>
        <Link to="/monitor/messages" search={{}} className={TAB}>Archive</Link>
        <Link to="/monitor/blocklists" className={TAB}>Blocklists</Link>
        <Link to="/monitor/activity" search={{}} className={TAB}>Activity</Link>
      </nav>
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold">{title}</h1>
          <LiveBadge />
        </div>
        {actions}
      </div>
      {children}
    </div>
  );
}
