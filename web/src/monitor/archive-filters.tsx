import { useQuery } from '@tanstack/react-query';
import { Search } from 'lucide-react';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import { Input } from '../ui/field';
import { useUrlText } from '../ui/use-url-text';
import { monitorKeys } from './queries';
import { type ArchiveSearch, KINDS } from './search';

const KIND_LABEL = { text: 'Text', image: 'Images', video: 'Videos', audio: 'Audio', doc: 'Documents', other: 'Other' } as const;
const SELECT = 'h-10 rounded-md border border-slate-300 bg-white px-2 text-sm';

/** The group choices: every discovered group by name (the first 200). */
const groupChoices = () => ({
  queryKey: monitorKeys.groupChoices(),
  queryFn: () => unwrap(api.GET('/api/monitor/groups', { params: { query: { limit: 200 } } })),
  staleTime: 30_000,
});

/**
 * Group, kind, text search and a date jump; each change goes to the URL. The group choices are read
 * once the feed is (`ready`): the feed and its media come first.
 */
export function ArchiveFilters({ search, onChange, ready }: { search: ArchiveSearch; onChange: (next: Partial<ArchiveSearch>) => void; ready: boolean }) {
  const groups = useQuery({ ...groupChoices(), enabled: ready });
  const [typed, setTyped] = useUrlText(search.q ?? '', (q) => onChange({ q: q || undefined }));
  return (
    <div className="flex flex-wrap items-end gap-2">
      <div className="relative w-full sm:w-64">
        <Search className="pointer-events-none absolute top-3 left-3 size-4 text-slate-400" aria-hidden />
        <Input type="search" aria-label="Search messages" placeholder="Search text" className="pl-9" value={typed} onChange={(e) => setTyped(e.target.value)} />
      </div>
      <select aria-label="Group" className={SELECT} value={search.groupId ?? ''} onChange={(e) => onChange({ groupId: e.target.value || undefined })}>
        <option value="">All groups</option>
        {groups.data?.items.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
      </select>
      <select aria-label="Kind" className={SELECT} value={search.kind ?? ''} onChange={(e) => onChange({ kind: KINDS.find((k) => k === e.target.value) })}>
        <option value="">All kinds</option>
        {KINDS.map((k) => <option key={k} value={k}>{KIND_LABEL[k]}</option>)}
      </select>
      <label className="flex items-center gap-2 text-sm text-slate-700">
        Up to
        <input type="date" aria-label="Jump to date" className={SELECT} value={search.date ?? ''} onChange={(e) => onChange({ date: e.target.value || undefined })} />
      </label>
    </div>
  );
}
