import { Link } from '@tanstack/react-router';
import { cn } from '../ui/cn';
import { formatListTime } from '../ui/format';
import type { Member, Thread } from './queries';
import { contactLabel } from './contact-label';

interface ThreadRowProps {
  thread: Thread;
  selected: boolean;
  members: Map<string, Member>;
  connectionLabel: string;
}

/** One conversation: who, the last message and when, unread, assignee, tags, and the number it came in on. */
export function ThreadRow({ thread, selected, members, connectionLabel }: ThreadRowProps) {
  const who = thread.contactName || contactLabel(thread.contactWaId);
  const assignee = thread.assignedTo ? (members.get(thread.assignedTo)?.email ?? 'a member') : null;
  return (
    <Link
      to="."
      search={(prev) => ({ ...prev, thread: thread.id })}
      aria-current={selected ? 'true' : undefined}
      data-thread-id={thread.id}
      className={cn(
        'block border-l-4 px-3 py-2.5 outline-offset-[-2px] hover:bg-slate-50',
        selected ? 'border-emerald-600 bg-emerald-50/60' : 'border-transparent',
      )}
    >
      <div className="flex items-baseline justify-between gap-2">
        <span className={cn('truncate text-sm', thread.unreadCount > 0 ? 'font-semibold text-slate-900' : 'font-medium text-slate-800')}>{who}</span>
        <time className="shrink-0 text-xs text-slate-500" dateTime={thread.lastMessageAt ?? undefined}>{formatListTime(thread.lastMessageAt)}</time>
      </div>
      <div className="mt-0.5 flex items-center justify-between gap-2">
        <span className="truncate text-sm text-slate-600">{thread.lastMessagePreview ?? 'No messages yet'}</span>
        {thread.unreadCount > 0 ? (
          <span className="shrink-0 rounded-full bg-emerald-600 px-1.5 text-xs font-semibold text-white tabular-nums">
            {thread.unreadCount}
            <span className="sr-only"> unread</span>
          </span>
        ) : null}
      </div>
      <div className="mt-1 flex flex-wrap items-center gap-1 text-xs text-slate-500">
        <span title="Number it came in on">{connectionLabel}</span>
        {assignee ? <span>· {assignee}</span> : null}
        {thread.status !== 'open' ? <span>· {thread.status}</span> : null}
        {thread.tags.map((tag) => <span key={tag} className="rounded bg-slate-100 px-1 text-slate-700">{tag}</span>)}
      </div>
    </Link>
  );
}
