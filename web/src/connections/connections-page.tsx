import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { ArrowLeft, Plus } from 'lucide-react';
import { useState } from 'react';
import { NotAuthorized } from '../app/not-authorized';
import { myWorkspacesQuery } from '../inbox/queries';
import { Button } from '../ui/button';
import { EmptyState, ErrorState, Loading } from '../ui/states';
import { useToast } from '../ui/toast';
import { AddConnectionDialog } from './add-connection-dialog';
import { ConnectFacebookDialog } from './connect-facebook-dialog';
import { ConnectionCard } from './connection-card';
import { connectionsQuery, signupSettingsQuery } from './queries';
import { useFacebookSdk } from './use-facebook-sdk';
import { ReadReceiptsSetting } from './read-receipts-setting';

const FROM = '/app/dashboard/meta-hub/whatsapp/$workspaceId/connections';

/** `/dashboard/meta-hub/whatsapp/<workspace_id>/connections`: the workspace's WhatsApp numbers. */
export function ConnectionsPage() {
  const { workspaceId } = useParams({ from: FROM });
  const workspaces = useQuery(myWorkspacesQuery());
  const connections = useQuery(connectionsQuery(workspaceId));
  const settings = useQuery(signupSettingsQuery());
  const facebook = useFacebookSdk(connections.data?.canManage ? settings.data : undefined);
  const toast = useToast();
  const [adding, setAdding] = useState(false);
  const [connecting, setConnecting] = useState(false);

  if (connections.isPending || workspaces.isPending) return <Loading label="Loading numbers…" />;
  const workspace = workspaces.data?.workspaces.find((w) => w.id === workspaceId);
  if (workspaces.isSuccess && !workspace) return <NotAuthorized message="You are not a member of this workspace, or it does not exist." />;
  if (connections.isError) return <ErrorState title="Could not load the numbers" message={connections.error.message} />;
  const { canManage } = connections.data;
  const list = connections.data.connections;
  const offerFacebook = canManage && settings.data?.enabled === true;

  return (
    <div className="max-w-4xl">
      <Link to="/dashboard/meta-hub/whatsapp/$workspaceId" params={{ workspaceId }} search={{}} className="inline-flex items-center gap-1 text-sm text-emerald-800 hover:underline">
        <ArrowLeft className="size-4" aria-hidden />{workspace?.name ?? 'Workspace'} inbox
      </Link>
      <div className="mt-2 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">WhatsApp numbers</h1>
          <p className="text-sm text-slate-600">Each number's conversations arrive in this workspace's inbox; replies go out on the number they came in on.</p>
        </div>
        {canManage ? (
          <div className="flex flex-wrap gap-2">
            {offerFacebook ? <Button variant="primary" onClick={() => setConnecting(true)}>Connect with Facebook</Button> : null}
            <Button onClick={() => setAdding(true)}><Plus className="size-4" aria-hidden />Add number</Button>
          </div>
        ) : null}
      </div>
      {offerFacebook && facebook.error ? <p role="alert" className="mt-3 text-sm text-amber-800">{facebook.error}</p> : null}
      {!canManage ? <p className="mt-3 text-sm text-slate-600">Only the workspace's owners and admins can add or change numbers.</p> : null}
      {list.length === 0 ? (
        <EmptyState title="No numbers yet">{canManage ? 'Connect a number with Facebook, or add one with its IDs and access token.' : 'Ask an owner to connect one.'}</EmptyState>
      ) : (
        <ul className="mt-4 flex flex-col gap-3">
          {list.map((connection) => <ConnectionCard key={connection.id} workspaceId={workspaceId} connection={connection} canManage={canManage} />)}
        </ul>
      )}
      <ReadReceiptsSetting workspaceId={workspaceId} canManage={canManage} />
      {adding ? <AddConnectionDialog workspaceId={workspaceId} onClose={() => setAdding(false)} /> : null}
      {connecting && settings.data ? (
        <ConnectFacebookDialog
          workspaceId={workspaceId}
          settings={settings.data}
          sdk={facebook.sdk}
          onClose={() => setConnecting(false)}
          onConnected={(number) => {
            setConnecting(false);
            toast({ title: `Connected ${number}`, description: 'Its messages arrive in the inbox from now on.' });
          }}
        />
      ) : null}
    </div>
  );
}
