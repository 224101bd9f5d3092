import { Dialog } from '../ui/dialog';
import { SHORTCUTS } from './use-inbox-shortcuts';

export function ShortcutsDialog({ open, onOpenChange }: { open: boolean; onOpenChange(open: boolean): void }) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Keyboard shortcuts">
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
        {SHORTCUTS.map((s) => (
          <div key={s.keys} className="contents">
            <dt><kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs">{s.keys}</kbd></dt>
            <dd className="text-slate-700">{s.does}</dd>
          </div>
        ))}
      </dl>
      <p className="mt-4 text-xs text-slate-500">In the reply box, Enter sends and Shift+Enter starts a new line; Escape leaves it.</p>
    </Dialog>
  );
}
