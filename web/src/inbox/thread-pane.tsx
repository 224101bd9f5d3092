import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { ArrowLeft } from 'lucide-react';
import { forwardRef, useEffect } from 'react';
import { ApiError, messageOf } from '../api/errors';
import { useSession } from '../auth/session';
import { ErrorState, Loading } from '../ui/states';
import { useToast } from '../ui/toast';
import { usePollInterval } from '../live/live-context';
import { contactLabel } from './contact-label';
import { MessageList } from './message-list';
import { type ThreadChange, useUpdateThread } from './mutations';
import { membersQuery, threadQuery } from './queries';
import { ReplyArea } from './reply-area';
import { ReplyTargetProvider } from './reply-target';
import { TagEditor } from './tag-editor';

const SELECT = 'h-8 rounded-md border border-slate-300 bg-white px-2 text-sm';

interface ThreadPaneProps {
  workspaceId: string;
  threadId: string;
  connectionLabel(thread: { connectionId: string | null; phoneNumberId: string }): string;
}

/** The open conversation: who, its number, assign / status / tags, the messages and the reply box. Opening it marks it read. */
export const ThreadPane = forwardRef<HTMLTextAreaElement, ThreadPaneProps>(function ThreadPane({ workspaceId, threadId, connectionLabel }, replyRef) {
  const thread = useQuery({ ...threadQuery(workspaceId, threadId), refetchInterval: usePollInterval() });
  const members = useQuery(membersQuery(workspaceId));
  const me = useSession()?.user.id;
  const update = useUpdateThread(workspaceId);
  const toast = useToast();
  const unread = thread.data?.unreadCount ?? 0;
  const { mutate } = update;

  // Read while it is open: also when a new message arrives in it.
  useEffect(() => {
    if (unread > 0) mutate({ id: threadId, read: true });
  }, [unread, threadId, mutate]);

  if (thread.isPending) return <Loading label="Loading conversation…" />;
  if (thread.isError) {
    const gone = thread.error instanceof ApiError && thread.error.status === 404;
    return <ErrorState title={gone ? 'Conversation not found' : 'Could not load the conversation'} message={gone ? 'It may have been deleted, or it belongs to another workspace.' : thread.error.message} />;
  }
  const t = thread.data;
  const change = (patch: ThreadChange) =>
    update.mutate({ id: t.id, ...patch }, { onError: (error) => toast({ tone: 'error', title: 'Could not update the conversation', description: messageOf(error) }) });

  return (
    <section aria-labelledby="thread-title" className="flex min-h-0 flex-1 flex-col">
      <header className="flex flex-col gap-2 border-b border-slate-200 bg-white px-3 py-2">
        <div className="flex items-center gap-2">
          <Link to="." search={(prev) => ({ ...prev, thread: undefined })} className="rounded p-1 hover:bg-slate-100 lg:hidden" aria-label="Back to conversations">
            <ArrowLeft className="size-4" aria-hidden />
          </Link>
          <div className="min-w-0">
            <h2 id="thread-title" className="truncate font-semibold text-slate-900">{t.contactName || contactLabel(t.contactWaId)}</h2>
            <p className="text-xs text-slate-500">{contactLabel(t.contactWaId)} · via {connectionLabel(t)}</p>
          </div>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <label className="sr-only" htmlFor="thread-assignee">Assigned to</label>
          <select id="thread-assignee" className={SELECT} value={t.assignedTo ?? ''} onChange={(e) => change({ assignedTo: e.target.value || null })}>
            <option value="">Unassigned</option>
            {me ? <option value={me}>Me</option> : null}
            {members.data?.members.filter((m) => m.userId !== me).map((m) => <option key={m.userId} value={m.userId}>{m.email ?? m.userId}</option>)}
          </select>
          <label className="sr-only" htmlFor="thread-status">Status</label>
          <select id="thread-status" className={SELECT} value={t.status} onChange={(e) => change({ status: e.target.value as 'open' })}>
            <option value="open">Open</option>
            <option value="pending">Pending</option>
            <option value="closed">Closed</option>
          </select>
          <TagEditor tags={t.tags} busy={update.isPending} onChange={(tags) => change({ tags })} />
        </div>
      </header>
      <ReplyTargetProvider key={t.id}>
        <MessageList workspaceId={workspaceId} threadId={t.id} />
        <ReplyArea ref={replyRef} workspaceId={workspaceId} threadId={t.id} windowExpiresAt={t.customerWindowExpiresAt} />
      </ReplyTargetProvider>
    </section>
  );
});
