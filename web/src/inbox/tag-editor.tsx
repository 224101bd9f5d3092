import { Plus, X } from 'lucide-react';
import { useState } from 'react';

/** A thread's tags: remove with the ×, add by typing and Enter (or the + button). */
export function TagEditor({ tags, busy, onChange }: { tags: string[]; busy: boolean; onChange(tags: string[]): void }) {
  const [draft, setDraft] = useState('');
  const add = () => {
    const tag = draft.trim().slice(0, 64);
    if (!tag) return;
    if (!tags.includes(tag)) onChange([...tags, tag]);
    setDraft('');
  };
  return (
    <div className="flex flex-wrap items-center gap-1" aria-busy={busy || undefined}>
      <ul aria-label="Tags" className="flex flex-wrap gap-1">
        {tags.map((tag) => (
          <li key={tag} className="inline-flex items-center gap-0.5 rounded bg-slate-100 py-0.5 pr-0.5 pl-1.5 text-xs text-slate-700">
            {tag}
            <button type="button" className="rounded p-0.5 hover:bg-slate-200" aria-label={`Remove tag ${tag}`} onClick={() => onChange(tags.filter((t) => t !== tag))}>
              <X className="size-3" aria-hidden />
            </button>
          </li>
        ))}
      </ul>
      <form
        className="inline-flex items-center"
        onSubmit={(e) => {
          e.preventDefault();
          add();
        }}
      >
        <label className="sr-only" htmlFor="add-tag">Add a tag</label>
        <input id="add-tag" value={draft} maxLength={64} onChange={(e) => setDraft(e.target.value)} placeholder="Add tag" className="h-7 w-24 rounded-l border border-slate-300 px-2 text-xs" />
        <button type="submit" className="h-7 rounded-r border border-l-0 border-slate-300 px-1.5 hover:bg-slate-50" aria-label="Add tag"><Plus className="size-3.5" aria-hidden /></button>
      </form>
    </div>
  );
}
