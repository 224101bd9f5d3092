import * as Menu from '@radix-ui/react-dropdown-menu';
import { useQuery } from '@tanstack/react-query';
import { ChevronDown, Layers, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { messageOf } from '../api/errors';
import { Button } from '../ui/button';
import { useToast } from '../ui/toast';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { useDeleteView } from './mutations';
import { type SavedView, viewsQuery } from './queries';

const ITEM = 'flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-slate-100';

interface SavedViewsMenuProps {
  workspaceId: string;
  activeViewId: string | undefined;
  onApply(view: SavedView): void;
}

/** The saved views dropdown: choose one to apply it; hover (or arrow to) a view for its trash icon, then confirm. */
export function SavedViewsMenu({ workspaceId, activeViewId, onApply }: SavedViewsMenuProps) {
  const views = useQuery(viewsQuery(workspaceId));
  const remove = useDeleteView(workspaceId);
  const toast = useToast();
  const [deleting, setDeleting] = useState<SavedView | null>(null);
  const active = views.data?.views.find((v) => v.id === activeViewId);

  return (
    <>
      <Menu.Root>
        <Menu.Trigger asChild>
          <Button size="sm" aria-label={active ? `Saved views (current: ${active.name})` : 'Saved views'}>
            <Layers className="size-4" aria-hidden />
            <span className="max-w-40 truncate">{active ? active.name : 'Saved views'}</span>
            <ChevronDown className="size-4" aria-hidden />
          </Button>
        </Menu.Trigger>
        <Menu.Portal>
          <Menu.Content align="start" sideOffset={6} className="z-50 max-h-80 min-w-56 overflow-y-auto rounded-md border border-slate-200 bg-white p-1 shadow-lg">
            {views.isPending ? <p className="px-2 py-1.5 text-sm text-slate-500">Loading…</p> : null}
            {views.data?.views.length === 0 ? <p className="px-2 py-1.5 text-sm text-slate-500">No saved views yet. Set filters, then Save view.</p> : null}
            {views.data?.views.map((view) => (
              <div key={view.id} className="group flex items-center gap-1" data-view={view.name}>
                <Menu.Item className={`${ITEM} flex-1`} onSelect={() => onApply(view)}>
                  <span className="truncate">{view.name}</span>
                  {view.id === activeViewId ? <span aria-hidden className="ml-auto text-xs text-emerald-700">current</span> : null}
                </Menu.Item>
                <Menu.Item
                  aria-label={`Delete view ${view.name}`}
                  className={`${ITEM} text-slate-500 opacity-0 group-hover:opacity-100 data-[highlighted]:text-red-700 data-[highlighted]:opacity-100`}
                  onSelect={() => setDeleting(view)}
                >
                  <Trash2 className="size-4" aria-hidden />
                </Menu.Item>
              </div>
            ))}
          </Menu.Content>
        </Menu.Portal>
      </Menu.Root>

      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title="Delete saved view?"
        description={`“${deleting?.name ?? ''}” will be gone for you. Conversations are not changed.`}
        action="Delete"
        onConfirm={() => deleting && remove.mutate(deleting.id, {
          onSuccess: () => toast({ title: `Deleted view “${deleting.name}”` }),
          onError: (error) => toast({ tone: 'error', title: 'Could not delete the view', description: messageOf(error) }),
        })}
      />
    </>
  );
}
