import { formatDateTime } from '../ui/format';
import { MediaView } from './media-view';
import type { ArchivedMessage } from './queries';

/** `+5511…` for a phone jid; a lid nobody has mapped yet stays as WhatsApp sent it. */
export function senderLabel(message: ArchivedMessage): { name: string; number: string | null } {
  const number = message.senderPn ? `+${message.senderPn.split('@')[0]}` : null;
  return { name: message.senderName ?? number ?? message.sender, number: message.senderName ? number : null };
}

/** One archived message; a media item shows the captions linked to it (`parent_id`) beneath it. */
export function MessageCard({ message, captions, refetch }: { message: ArchivedMessage; captions: ArchivedMessage[]; refetch: () => void }) {
  const who = senderLabel(message);
  const texts = [message.text, ...captions.map((c) => c.text)].filter((t): t is string => Boolean(t));
  return (
    <li className="flex flex-col gap-2 px-4 py-3" data-kind={message.kind}>
      <div className="flex flex-wrap items-baseline gap-x-2 text-sm">
        <span className="font-medium text-slate-900">{who.name}</span>
        {who.number ? <span className="text-slate-500">{who.number}</span> : null}
        {message.groupName ? <span className="text-slate-500">in {message.groupName}</span> : null}
        <time dateTime={message.ts} className="ml-auto text-xs text-slate-500 tabular-nums">{formatDateTime(message.ts)}</time>
      </div>
      {message.media ? <MediaView message={{ ...message, media: message.media }} refetch={refetch} /> : null}
      {texts.map((t, i) => <p key={i} className="text-sm break-words whitespace-pre-wrap text-slate-800">{t}</p>)}
    </li>
  );
}
