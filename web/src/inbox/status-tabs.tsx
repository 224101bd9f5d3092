import * as Tabs from '@radix-ui/react-tabs';
import { formatNumber } from '../ui/format';
import type { StatusTab } from './search';

/** Work first: the tab people live in is Open. */
const TAB_ORDER: StatusTab[] = ['open', 'pending', 'closed', 'all'];
const LABELS: Record<StatusTab, string> = { all: 'All', open: 'Open', pending: 'Pending', closed: 'Closed' };

interface StatusTabsProps {
  value: StatusTab;
  counts: (Record<StatusTab, number> & { capped: Record<StatusTab, boolean> }) | undefined;
  onChange(status: StatusTab): void;
}

/** Open / Pending / Closed / All with their counts under the other filters. */
export function StatusTabs({ value, counts, onChange }: StatusTabsProps) {
  return (
    <Tabs.Root value={value} onValueChange={(next) => onChange(next as StatusTab)} activationMode="manual">
      <Tabs.List aria-label="Status" className="flex gap-1 overflow-x-auto border-b border-slate-200">
        {TAB_ORDER.map((status) => (
          <Tabs.Trigger
            key={status}
            value={status}
            className="-mb-px flex items-center gap-1.5 border-b-2 border-transparent px-2 py-2 sm:px-3 text-sm font-medium text-slate-600 hover:text-slate-900 data-[state=active]:border-emerald-700 data-[state=active]:text-emerald-900"
          >
            {LABELS[status]}
            <span className="rounded-full bg-slate-100 px-1.5 text-xs tabular-nums text-slate-600">{counts ? `${formatNumber(counts[status])}${counts.capped[status] ? '+' : ''}` : '–'}</span>
          </Tabs.Trigger>
        ))}
      </Tabs.List>
    </Tabs.Root>
  );
}
