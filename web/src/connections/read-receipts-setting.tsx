import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { messageOf, unwrap } from '../api/errors';
import { useInvalidatingMutation } from '../api/invalidating-mutation';
import { inboxKeys } from '../inbox/queries';
import { useToast } from '../ui/toast';

const settingsKey = (workspaceId: string) => [...inboxKeys.workspace(workspaceId), 'settings'] as const;

const hubSettingsQuery = (workspaceId: string) =>
  queryOptions({ queryKey: settingsKey(workspaceId), queryFn: () => unwrap(api.GET('/api/meta/whatsapp/settings', { params: { query: { workspaceId } } })) });

/**
 * The workspace's read receipts: on, opening a conversation marks the customer's newest message
 * read at Meta (blue ticks on their phone). Owners and admins switch it; others see it.
 */
export function ReadReceiptsSetting({ workspaceId, canManage }: { workspaceId: string; canManage: boolean }) {
  const settings = useQuery(hubSettingsQuery(workspaceId));
  const toast = useToast();
  const change = useInvalidatingMutation(settingsKey(workspaceId), (readReceipts: boolean) =>
    unwrap(api.PATCH('/api/meta/whatsapp/settings', { body: { workspaceId, readReceipts } })));
  if (!settings.data) return null;
  return (
    <label className="mt-4 flex items-start gap-2 rounded-lg border border-slate-200 bg-white p-3 text-sm">
      <input
        type="checkbox"
        className="mt-0.5 size-4"
        checked={settings.data.readReceipts}
        disabled={!canManage || change.isPending}
        onChange={(e) => change.mutate(e.target.checked, { onError: (error) => toast({ tone: 'error', title: 'Could not change read receipts', description: messageOf(error) }) })}
      />
      <span>
        <span className="font-medium text-slate-900">Send read receipts</span>
        <span className="block text-slate-600">Opening a conversation marks the customer&apos;s newest message read on their phone.</span>
      </span>
    </label>
  );
}
