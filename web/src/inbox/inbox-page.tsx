import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { Bookmark, Keyboard, Smartphone } from 'lucide-react';
import { useCallback, useRef, useState } from 'react';
import { NotAuthorized } from '../app/not-authorized';
import { Button } from '../ui/button';
import { cn } from '../ui/cn';
import { Loading } from '../ui/states';
import { InboxToolbar } from './inbox-toolbar';
import { LiveBadge, LiveContext, usePollInterval } from '../live/live-context';
import { useUpdateThread } from './mutations';
import { countsQuery, type SavedView, myWorkspacesQuery } from './queries';
import { SaveViewDialog } from './save-view-dialog';
import { SavedViewsMenu } from './saved-views-menu';
import { filtersOf, type InboxSearch } from './search';
import { ShortcutsDialog } from './shortcuts-dialog';
import { StatusTabs } from './status-tabs';
import { ThreadList } from './thread-list';
import { ThreadPane } from './thread-pane';
import { useConnectionLabel } from './use-connection-label';
import { useHubEvents } from './use-hub-events';
import { useInboxShortcuts } from './use-inbox-shortcuts';

const FROM = '/dashboard/meta-hub/whatsapp/$workspaceId';

/** `/dashboard/meta-hub/whatsapp/<workspace_id>`: the team inbox, live. The URL holds every filter and the open thread. */
export function InboxPage() {
  const { workspaceId } = useParams({ from: `/app${FROM}` });
  const live = useHubEvents(workspaceId);
  const workspaces = useQuery(myWorkspacesQuery());
  if (workspaces.isPending) return <Loading label="Loading inbox…" />;
  const workspace = workspaces.data?.workspaces.find((w) => w.id === workspaceId);
  if (workspaces.isSuccess && !workspace) return <NotAuthorized message="You are not a member of this workspace, or it does not exist." />;
  return (
    <LiveContext.Provider value={live}>
      <Inbox workspaceId={workspaceId} name={workspace?.name ?? ''} />
    </LiveContext.Provider>
  );
}

function Inbox({ workspaceId, name }: { workspaceId: string; name: string }) {
  const search = useSearch({ from: `/app${FROM}` });
  const navigate = useNavigate({ from: FROM });
  const filters = filtersOf(search);
  const counts = useQuery({ ...countsQuery(workspaceId, filters), refetchInterval: usePollInterval() });
  const connectionLabel = useConnectionLabel(workspaceId);
  const [saving, setSaving] = useState(false);
  const [help, setHelp] = useState(false);
  const order = useRef<string[]>([]);
  const searchBox = useRef<HTMLInputElement>(null);
  const replyBox = useRef<HTMLTextAreaElement>(null);
  const update = useUpdateThread(workspaceId);

  /** A manual filter change leaves the saved view it came from. */
  const setFilters = useCallback((next: Partial<InboxSearch>, options: { replace?: boolean } = {}) =>
    void navigate({ search: (prev: InboxSearch) => ({ ...prev, ...next, view: undefined }), replace: options.replace ?? false }), [navigate]);
  const openThread = (id: string | undefined) => void navigate({ search: (prev: InboxSearch) => ({ ...prev, thread: id }) });
  // A view replaces every filter (a filter it does not set is cleared); the open thread stays.
  const applyView = (view: SavedView) => void navigate({ search: (prev: InboxSearch) => ({ thread: prev.thread, ...view.filters, view: view.id }) });
  const markSaved = (view: SavedView) => void navigate({ search: (prev: InboxSearch) => ({ ...prev, view: view.id }), replace: true });
  const onOrder = useCallback((ids: string[]) => {
    order.current = ids;
  }, []);
  const step = (by: number) => {
    const ids = order.current;
    const at = search.thread ? ids.indexOf(search.thread) : -1;
    const next = ids[Math.min(ids.length - 1, Math.max(0, at === -1 ? 0 : at + by))];
    if (next) {
      openThread(next);
      requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-thread-id="${next}"]`)?.scrollIntoView({ block: 'nearest' }));
    }
  };
  useInboxShortcuts({
    next: () => step(1),
    previous: () => step(-1),
    close: () => search.thread && update.mutate({ id: search.thread, status: 'closed' }),
    focusSearch: () => searchBox.current?.focus(),
    focusReply: () => replyBox.current?.focus(),
    help: () => setHelp(true),
  });

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex items-center gap-3">
          <h1 className="text-2xl font-semibold">Inbox</h1>
          <span className="text-sm text-slate-600">{name}</span>
          <LiveBadge />
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <SavedViewsMenu workspaceId={workspaceId} activeViewId={search.view} onApply={applyView} />
          <Button size="sm" onClick={() => setSaving(true)}><Bookmark className="size-4" aria-hidden />Save view</Button>
          <Link to="/dashboard/meta-hub/whatsapp/$workspaceId/connections" params={{ workspaceId }} className="inline-flex h-8 items-center gap-1.5 rounded-md px-3 text-sm font-medium text-slate-700 hover:bg-slate-100">
            <Smartphone className="size-4" aria-hidden /><span className="sr-only sm:not-sr-only">Numbers</span>
          </Link>
          <Button size="sm" variant="ghost" className="max-sm:hidden" onClick={() => setHelp(true)} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)"><Keyboard className="size-4" aria-hidden /></Button>
        </div>
      </div>
      <InboxToolbar ref={searchBox} workspaceId={workspaceId} search={search} onChange={setFilters} />
      <StatusTabs value={search.status ?? 'all'} counts={counts.data} onChange={(status) => setFilters({ status: status === 'all' ? undefined : status })} />
      <div className="grid min-h-0 gap-3 lg:h-[calc(100dvh-15rem)] lg:grid-cols-[22rem_1fr]">
        <div className={cn('min-h-0 overflow-y-auto rounded-lg border border-slate-200 bg-white', search.thread ? 'hidden lg:block' : '')}>
          <ThreadList workspaceId={workspaceId} filters={filters} selectedId={search.thread} connectionLabel={connectionLabel} onOrder={onOrder} />
        </div>
        <div className={cn('flex min-h-[60dvh] flex-col overflow-hidden rounded-lg border border-slate-200 bg-white lg:min-h-0', search.thread ? '' : 'hidden lg:flex')}>
          {search.thread ? (
            <ThreadPane ref={replyBox} key={search.thread} workspaceId={workspaceId} threadId={search.thread} connectionLabel={connectionLabel} />
          ) : (
            <p className="m-auto p-6 text-sm text-slate-500">Choose a conversation. Press <kbd className="rounded border px-1 font-mono">?</kbd> for shortcuts.</p>
          )}
        </div>
      </div>
      <SaveViewDialog workspaceId={workspaceId} filters={filters} open={saving} onOpenChange={setSaving} onSaved={markSaved} />
      <ShortcutsDialog open={help} onOpenChange={setHelp} />
    </div>
  );
}
