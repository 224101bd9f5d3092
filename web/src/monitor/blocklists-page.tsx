import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../api/errors';
import { NotAuthorized } from '../app/not-authorized';
import { BlocklistSection } from './blocklist-section';
import { MonitorLayout } from './monitor-nav';
import { statusQuery } from './queries';

/** `/monitor/blocklists`: groups, senders and keywords that are never archived. */
export function BlocklistsPage() {
  const status = useQuery(statusQuery());
  if (status.error instanceof ApiError && status.error.status === 403) return <NotAuthorized message={status.error.message} />;
  const canManage = status.data?.canManage ?? false;
  return (
    <MonitorLayout title="Blocklists">
      <p className="text-sm text-slate-600">Messages that match are dropped when they arrive; what is already archived stays.</p>
      <BlocklistSection kind="groups" canManage={canManage} />
      <BlocklistSection kind="senders" canManage={canManage} />
      <BlocklistSection kind="keywords" canManage={canManage} />
    </MonitorLayout>
  );
}
