import { useInfiniteQuery, useMutationState } from '@tanstack/react-query';
import { Fragment, useLayoutEffect, useMemo, useRef } from 'react';
import { Button } from '../ui/button';
import { cn } from '../ui/cn';
import { dayKey, formatClock, formatDay } from '../ui/format';
import { ErrorState, Loading } from '../ui/states';
import { DeliveryTicks } from './delivery-ticks';
import { MessageMedia } from './message-media';
import { Quote, QuoteButton, ReactButton, Reactions } from './message-extras';
import { usePollInterval } from '../live/live-context';
import { sendKey } from './mutations';
import { messagesQuery, type ThreadMessage } from './queries';

/** Oldest to newest with day separators; older pages on demand; a reply being sent shows at once. */
export function MessageList({ workspaceId, threadId }: { workspaceId: string; threadId: string }) {
  const query = useInfiniteQuery({ ...messagesQuery(workspaceId, threadId), refetchInterval: usePollInterval() });
  const sending = useMutationState({
    filters: { mutationKey: sendKey(threadId), status: 'pending' },
    select: (mutation) => (mutation.state.variables as { text: string; idempotencyKey: string } | undefined),
  });
  const messages = useMemo(() => (query.data?.pages.flatMap((p) => p.messages) ?? []).slice().reverse(), [query.data]);
  const scroller = useRef<HTMLDivElement>(null);
  const lastId = messages.at(-1)?.id;
  const firstId = messages[0]?.id;
  const anchor = useRef<{ firstId?: string; height: number }>({ height: 0 });

  // New messages at the bottom scroll into view; older pages loaded above keep the reader's place.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (anchor.current.firstId && anchor.current.firstId !== firstId) el.scrollTop += el.scrollHeight - anchor.current.height;
    else el.scrollTop = el.scrollHeight;
    anchor.current = { firstId, height: el.scrollHeight };
  }, [lastId, firstId, sending.length]);

  const refetch = query.refetch as () => void;
  if (query.isPending) return <Loading label="Loading messages…" />;
  if (query.isError && !query.data) return <ErrorState title="Could not load messages" message={query.error.message} />;
  return (
    <div
      ref={scroller}
      className="flex-1 overflow-y-auto bg-slate-50 px-3 py-3"
      onScroll={(e) => {
        if (e.currentTarget.scrollTop < 40 && query.hasNextPage && !query.isFetchingNextPage) void query.fetchNextPage();
      }}
    >
      {query.hasNextPage ? (
        <div className="mb-2 text-center"><Button size="sm" variant="ghost" busy={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>Load older messages</Button></div>
      ) : null}
      <ol aria-label="Messages" className="flex flex-col gap-1.5">
        {messages.map((message, index) => (
          <Fragment key={message.id}>
            {index === 0 || dayKey(messages[index - 1]!.createdAt) !== dayKey(message.createdAt) ? (
              <li aria-hidden className="my-2 text-center text-xs font-medium text-slate-500">{formatDay(message.createdAt)}</li>
            ) : null}
            <Bubble message={message} workspaceId={workspaceId} threadId={threadId} refetch={refetch} />
          </Fragment>
        ))}
        {sending.filter((v) => v && !messages.some((m) => m.text === v.text && m.status === 'queued')).map((v) => (
          <li key={v!.idempotencyKey} className="max-w-[80%] self-end rounded-lg bg-emerald-100/70 px-3 py-1.5 text-sm whitespace-pre-wrap text-slate-900" aria-label="Sending">
            {v!.text}
          </li>
        ))}
      </ol>
      {messages.length === 0 && sending.length === 0 ? <p className="p-6 text-center text-sm text-slate-500">No messages in this conversation yet.</p> : null}
    </div>
  );
}

function Bubble({ message, workspaceId, threadId, refetch }: { message: ThreadMessage; workspaceId: string; threadId: string; refetch: () => void }) {
  const out = message.direction === 'out';
  const { media } = message;
  const text = message.text ?? media?.caption ?? (media ? null : `[${message.type}]`);
  return (
    <li data-message-id={message.id} data-direction={message.direction} className={cn('max-w-[80%] rounded-lg px-3 py-1.5 text-sm shadow-sm', out ? 'self-end bg-emerald-100 text-slate-900' : 'self-start bg-white text-slate-900')}>
      {message.replyTo ? <Quote replyTo={message.replyTo} /> : null}
      <span className="sr-only">{out ? 'You: ' : 'Customer: '}</span>
      {media ? <MessageMedia messageId={message.id} media={media} refetch={refetch} /> : null}
      {text ? <span className="whitespace-pre-wrap break-words">{text}</span> : null}
      <span className="ml-2 inline-flex items-center gap-1 align-bottom text-[11px] text-slate-500">
        <time dateTime={message.createdAt}>{formatClock(message.createdAt)}</time>
        {out ? <DeliveryTicks message={message} /> : null}
        <ReactButton workspaceId={workspaceId} threadId={threadId} message={message} />
        <QuoteButton message={message} />
      </span>
      <Reactions reactions={message.reactions} />
      {message.status === 'failed' ? (
        <p className="mt-1 text-xs text-red-700">
          Not delivered: {message.errorMessage ?? 'Meta refused the message'}{message.errorCode ? ` (${message.errorCode})` : ''}
          {message.errorCode === '131047' ? '. The customer service window had closed: send an approved template instead.' : ''}
        </p>
      ) : null}
    </li>
  );
}
