import { Reply, SmilePlus } from 'lucide-react';
import { useState } from 'react';
import { messageOf } from '../api/errors';
import { useToast } from '../ui/toast';
import { useSendReaction } from './mutations';
import type { ThreadMessage } from './queries';
import { useReplyTarget } from './reply-target';

/** The message a reply quotes, above its text. */
export function Quote({ replyTo }: { replyTo: NonNullable<ThreadMessage['replyTo']> }) {
  const who = replyTo.direction === 'out' ? 'You' : replyTo.direction === 'in' ? 'Customer' : 'Quoted message';
  return (
    <blockquote data-quote={replyTo.waMessageId} className="mb-1 border-l-2 border-emerald-600 bg-black/5 px-2 py-1 text-xs text-slate-600">
      <span className="font-medium">{who}</span>
      <span className="block truncate">{replyTo.text ?? (replyTo.type ? `[${replyTo.type}]` : 'a message not stored here')}</span>
    </blockquote>
  );
}

/** Reactions on a message: the customer's and ours. */
export function Reactions({ reactions }: { reactions: ThreadMessage['reactions'] }) {
  if (reactions.length === 0) return null;
  return (
    <ul aria-label="Reactions" className="mt-1 flex gap-1">
      {reactions.map((r) => (
        <li key={r.direction} className="rounded-full border border-slate-200 bg-white px-1.5 text-xs" title={r.direction === 'in' ? 'Customer\'s reaction' : 'Your reaction'}>
          <span aria-hidden>{r.emoji}</span>
          <span className="sr-only">{r.direction === 'in' ? 'Customer reacted' : 'You reacted'} {r.emoji}</span>
        </li>
      ))}
    </ul>
  );
}

const EMOJIS = ['👍', '❤️', '😂', '🙏', '😮'];

/** React to a message (inside the window); choosing our current emoji again removes it. */
export function ReactButton({ workspaceId, threadId, message }: { workspaceId: string; threadId: string; message: ThreadMessage }) {
  const [open, setOpen] = useState(false);
  const react = useSendReaction(workspaceId, threadId);
  const toast = useToast();
  const mine = message.reactions.find((r) => r.direction === 'out')?.emoji;
  if (!message.waMessageId) return null;
  return (
    <span className="relative inline-block">
      <button type="button" aria-label="React" aria-expanded={open} className="rounded p-0.5 text-slate-400 hover:bg-slate-200 hover:text-slate-700" onClick={() => setOpen((v) => !v)}>
        <SmilePlus className="size-3.5" aria-hidden />
      </button>
      {open ? (
        <span role="group" aria-label="Choose a reaction" className="absolute bottom-6 z-10 flex gap-0.5 rounded-full border border-slate-200 bg-white px-1 py-0.5 shadow">
          {EMOJIS.map((emoji) => (
            <button
              key={emoji}
              type="button"
              aria-label={mine === emoji ? `Remove ${emoji}` : `React ${emoji}`}
              aria-pressed={mine === emoji}
              className="rounded-full px-1 text-base hover:bg-slate-100 aria-pressed:bg-emerald-100"
              onClick={() => {
                setOpen(false);
                react.mutate({ messageId: message.id, emoji: mine === emoji ? '' : emoji }, {
                  onError: (error) => toast({ tone: 'error', title: 'Could not react', description: messageOf(error) }),
                });
              }}
            >
              {emoji}
            </button>
          ))}
        </span>
      ) : null}
    </span>
  );
}

/** Quote this message in the reply (free-form replies only: the message must have reached WhatsApp). */
export function QuoteButton({ message }: { message: ThreadMessage }) {
  const { setTarget } = useReplyTarget();
  if (!message.waMessageId) return null;
  return (
    <button
      type="button"
      aria-label="Reply to this message"
      className="rounded p-0.5 text-slate-400 hover:bg-slate-200 hover:text-slate-700"
      onClick={() => setTarget({ id: message.id, text: message.text ?? `[${message.type}]` })}
    >
      <Reply className="size-3.5" aria-hidden />
    </button>
  );
}
