import { Link } from '@tanstack/react-router';
import { Building2 } from 'lucide-react';
import { useQuery } from '@tanstack/react-query';
import { useMe } from '../auth/me';
import { WorkspaceInboxLinks } from '../inbox/inbox-picker-page';
import { myWorkspacesQuery } from '../inbox/queries';
import { Loading } from '../ui/states';

/** The start page: the areas this user may open. */
export function HomePage() {
  const me = useMe();
  const workspaces = useQuery(myWorkspacesQuery());
  if (me.isPending || workspaces.isPending) return <Loading />;
  const admin = me.data?.platformAdmin ?? false;
  const member = (workspaces.data?.workspaces.length ?? 0) > 0;
  return (
    <div className="max-w-3xl">
      <h1 className="text-2xl font-semibold">Welcome{me.data?.email ? `, ${me.data.email}` : ''}</h1>
      <p className="mt-1 text-sm text-slate-600">Choose where to work.</p>
      {member ? <div className="mt-6"><WorkspaceInboxLinks /></div> : null}
      <ul className="mt-6 grid gap-4 sm:grid-cols-2 empty:hidden">
        {admin ? (
          <li>
            <Link to="/ops/platform-admin" search={{}} className="flex h-full gap-3 rounded-lg border border-slate-200 bg-white p-4 hover:border-emerald-600">
              <Building2 className="size-6 shrink-0 text-emerald-700" aria-hidden />
              <span>
                <span className="block font-medium">Ops console</span>
                <span className="block text-sm text-slate-600">Workspaces, token balances, entitlements and the audit log.</span>
              </span>
            </Link>
          </li>
        ) : null}
      </ul>
      {!admin && !member ? (
        <p className="mt-6 rounded-lg border border-slate-200 bg-white p-4 text-sm text-slate-600">
          Your account has no area to open yet. A workspace owner or a platform admin can give you access.
        </p>
      ) : null}
    </div>
  );
}
