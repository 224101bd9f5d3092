import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { MessagesSquare } from 'lucide-react';
import { EmptyState, ErrorState, Loading } from '../ui/states';
import { myWorkspacesQuery } from './queries';

/** Inbox links for every workspace the person belongs to (the start page shows the same). */
export function WorkspaceInboxLinks() {
  const workspaces = useQuery(myWorkspacesQuery());
  if (workspaces.isPending) return <Loading label="Loading workspaces…" />;
  if (workspaces.isError) return <ErrorState title="Could not load your workspaces" message={workspaces.error.message} />;
  if (workspaces.data.workspaces.length === 0) return null;
  return (
    <ul className="grid gap-4 sm:grid-cols-2">
      {workspaces.data.workspaces.map((w) => (
        <li key={w.id}>
          <Link to="/dashboard/meta-hub/whatsapp/$workspaceId" params={{ workspaceId: w.id }} search={{}} className="flex h-full gap-3 rounded-lg border border-slate-200 bg-white p-4 hover:border-emerald-600">
            <MessagesSquare className="size-6 shrink-0 text-emerald-700" aria-hidden />
            <span>
              <span className="block font-medium">{w.name} inbox</span>
              <span className="block text-sm text-slate-600">WhatsApp conversations · you are {w.role}</span>
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

/** `/dashboard/meta-hub/whatsapp`: choose a workspace's inbox. */
export function InboxPickerPage() {
  const workspaces = useQuery(myWorkspacesQuery());
  return (
    <div className="max-w-3xl">
      <h1 className="text-2xl font-semibold">Inboxes</h1>
      <div className="mt-4"><WorkspaceInboxLinks /></div>
      {workspaces.data?.workspaces.length === 0 ? <EmptyState title="You are not in any workspace yet">A workspace owner can add you.</EmptyState> : null}
    </div>
  );
}
