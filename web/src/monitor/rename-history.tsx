import { useQuery } from '@tanstack/react-query';
import { Dialog } from '../ui/dialog';
import { formatDateTime } from '../ui/format';
import { ErrorState, Loading } from '../ui/states';
import { renamesQuery } from './queries';

/** A group's names over time, from the audit log. */
export function RenameHistory({ group, onClose }: { group: { id: string; name: string } | null; onClose: () => void }) {
  const renames = useQuery({ ...renamesQuery(group?.id ?? ''), enabled: group !== null });
  return (
    <Dialog open={group !== null} onOpenChange={(open) => !open && onClose()} title={`Names of “${group?.name ?? ''}”`}>
      {renames.isPending ? <Loading /> : null}
      {renames.isError ? <ErrorState title="Could not load the history" message={renames.error.message} /> : null}
      {renames.data && renames.data.items.length === 0 ? <p className="text-sm text-slate-600">Never renamed since it was discovered.</p> : null}
      {renames.data && renames.data.items.length > 0 ? (
        <ol className="flex flex-col gap-2 text-sm" aria-label="Rename history">
          {renames.data.items.map((r) => (
            <li key={`${r.at}-${r.to ?? ''}`} className="flex flex-col">
              <span className="text-slate-800">“{r.from}” → “{r.to}”</span>
              <time dateTime={r.at} className="text-xs text-slate-500">{formatDateTime(r.at)}</time>
            </li>
          ))}
        </ol>
      ) : null}
    </Dialog>
  );
}
