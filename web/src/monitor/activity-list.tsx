import { useQueries } from '@tanstack/react-query';
import { Badge } from '../ui/badge';
import { formatDateTime } from '../ui/format';
import { Loading } from '../ui/states';
import { useMonitorPoll } from './monitor-live';
import { type ActivityEntry, recentActivityQuery } from './queries';
import type { AUDIT_KINDS } from './search';

type Kind = (typeof AUDIT_KINDS)[number];
const TONE: Partial<Record<Kind, 'green' | 'amber' | 'gray'>> = { connect: 'green', error: 'amber', reconnect: 'amber', disconnect: 'gray' };

/** One audit row as a person reads it: kind, time, and what its detail says. */
export function ActivityRow({ entry }: { entry: ActivityEntry }) {
  return (
    <li className="flex flex-wrap items-baseline gap-x-3 gap-y-1 px-4 py-2 text-sm">
      <Badge tone={TONE[entry.kind] ?? 'gray'}>{entry.kind}</Badge>
      <time dateTime={entry.at} className="text-slate-500 tabular-nums">{formatDateTime(entry.at)}</time>
      <span className="min-w-0 break-words text-slate-700">{describe(entry)}</span>
    </li>
  );
}

function describe(entry: ActivityEntry): string {
  const d = entry.detail as Record<string, unknown>;
  switch (entry.kind) {
    case 'reconnect': return `attempt ${String(d.attempt ?? '?')}, after ${Math.round(Number(d.delay_ms ?? 0) / 1000)} s`;
    case 'group_rename': return `“${String(d.from ?? '')}” → “${String(d.to ?? '')}”`;
    case 'discovery': return `${String(d.count ?? 0)} groups`;
    case 'ingest': return Number(d.count) === 1 ? '1 message archived' : `${String(d.count ?? 0)} messages archived`;
    case 'qr_generated': return typeof d.expiresAt === 'string' ? `valid until ${formatDateTime(d.expiresAt)}` : 'new QR';
    case 'connect': return d.wa_number ? `as +${String(d.wa_number)}` : 'connected';
    default: return [d.reason, d.message, d.code].filter((v) => v !== undefined && v !== null).map(String).join(' · ') || JSON.stringify(d);
  }
}

/** The newest rows of some kinds, merged newest first (the session page's "reconnects and errors"). */
export function ActivityList({ kinds, limit, empty }: { kinds: Kind[]; limit: number; empty: string }) {
  const poll = useMonitorPoll();
  const results = useQueries({ queries: kinds.map((kind) => ({ ...recentActivityQuery(kind, limit), refetchInterval: poll })) });
  if (results.some((r) => r.isPending)) return <Loading label="Loading activity…" />;
  const entries = results.flatMap((r) => r.data?.items ?? []).sort((a, b) => b.at.localeCompare(a.at)).slice(0, limit);
  if (entries.length === 0) return <p className="px-4 py-3 text-sm text-slate-500">{empty}</p>;
  return <ul className="divide-y divide-slate-100">{entries.map((entry) => <ActivityRow key={entry.id} entry={entry} />)}</ul>;
}
