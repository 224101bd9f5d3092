import { useQuery } from '@tanstack/react-query';
import { Search } from 'lucide-react';
import { forwardRef } from 'react';
import { useSession } from '../auth/session';
import { Input } from '../ui/field';
import { useUrlText } from '../ui/use-url-text';
import { membersQuery, tagsQuery } from './queries';
import type { InboxSearch } from './search';

// Side by side under the search on a phone, after it on a wider screen.
const SELECT = 'h-10 min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-2 text-sm text-slate-900 sm:flex-none';

interface ToolbarProps {
  workspaceId: string;
  search: InboxSearch;
  onChange(next: Partial<InboxSearch>, options?: { replace?: boolean }): void;
}

/** Search (`/` focuses it), assignee and tag: each change is written to the URL. */
export const InboxToolbar = forwardRef<HTMLInputElement, ToolbarProps>(function InboxToolbar({ workspaceId, search, onChange }, searchRef) {
  const me = useSession()?.user.id;
  const members = useQuery(membersQuery(workspaceId));
  const tags = useQuery(tagsQuery(workspaceId));
  // Typing replaces the history entry; a settled search is one entry.
  const [typed, setTyped] = useUrlText(search.q ?? '', (q) => onChange({ q: q || undefined }, { replace: true }));
  const tagOptions = tags.data?.tags ?? [];
  const knownTag = !search.tag || tagOptions.some((t) => t.tag === search.tag);

  return (
    <div className="flex flex-wrap items-center gap-2">
      <div className="relative min-w-48 flex-1">
        <Search className="pointer-events-none absolute top-3 left-3 size-4 text-slate-400" aria-hidden />
        <Input ref={searchRef} type="search" aria-label="Search conversations" placeholder="Search name, number or message  ( / )" className="pl-9" value={typed} onChange={(e) => setTyped(e.target.value)} />
      </div>
      <div className="flex w-full gap-2 sm:w-auto">
        <label className="sr-only" htmlFor="inbox-assignee">Assignee</label>
        <select id="inbox-assignee" className={SELECT} value={search.assignee ?? ''} onChange={(e) => onChange({ assignee: e.target.value || undefined })}>
          <option value="">Everyone</option>
          <option value="me">Mine</option>
          <option value="unassigned">Unassigned</option>
          {members.data?.members.filter((m) => m.userId !== me).map((m) => <option key={m.userId} value={m.userId}>{m.email ?? m.userId}</option>)}
        </select>
        <label className="sr-only" htmlFor="inbox-tag">Tag</label>
        <select id="inbox-tag" className={SELECT} value={search.tag ?? ''} onChange={(e) => onChange({ tag: e.target.value || undefined })}>
          <option value="">Any tag</option>
          {tagOptions.map((t) => <option key={t.tag} value={t.tag}>{t.tag} ({t.threads})</option>)}
          {!knownTag ? <option value={search.tag}>{search.tag}</option> : null}
        </select>
      </div>
    </div>
  );
});
