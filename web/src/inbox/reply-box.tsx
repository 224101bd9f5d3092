import { SendHorizontal } from 'lucide-react';
import { forwardRef, useState } from 'react';
import { ApiError, messageOf, tryAgainIn } from '../api/errors';
import { Button } from '../ui/button';
import { AttachButton, AttachmentChip } from './attachment';
import { useSendMedia, useSendText } from './mutations';
import { useReplyTarget } from './reply-target';

/** What to tell a person for the send errors they can act on; the typed text always stays. */
function sendErrorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'connection_inactive') return 'This conversation\'s WhatsApp number is deactivated. An owner can activate it on the Numbers page; then send again.';
    if (error.code === 'connection_not_found') return 'This conversation\'s WhatsApp number is no longer connected. An owner can connect it again on the Numbers page.';
    if (error.status === 429) return `Sending too fast: ${tryAgainIn(error)}.`;
  }
  return `Not sent: ${messageOf(error)}`;
}

/** A refused file: the server's words (they name the limit or the accepted types), without the field prefix. */
function mediaErrorText(error: unknown): string {
  if (error instanceof ApiError && (error.code === 'media_too_large' || error.code === 'payload_too_large')) {
    return `File too large: ${error.message.replace(/^file: /, '')}`;
  }
  if (error instanceof ApiError && error.code === 'unsupported_media_type') return `File not accepted: ${error.message.replace(/^file: /, '')}`;
  return sendErrorText(error);
}

/**
 * Enter sends, Shift+Enter starts a new line. One idempotency key per composed message: a double
 * click or a retry after an error sends it once; a new key only after it was queued.
 */
export const ReplyBox = forwardRef<HTMLTextAreaElement, { workspaceId: string; threadId: string }>(function ReplyBox({ workspaceId, threadId }, ref) {
  const [text, setText] = useState('');
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [file, setFile] = useState<File | null>(null);
  const sendText = useSendText(workspaceId, threadId);
  const sendMedia = useSendMedia(workspaceId, threadId);
  const send = file ? sendMedia : sendText;
  const busy = sendText.isPending || sendMedia.isPending;
  const { target, setTarget } = useReplyTarget();
  const done = {
    onSuccess: () => {
      setText('');
      setFile(null);
      setTarget(null);
      setKey(crypto.randomUUID());
    },
  };
  /** Something changed after a failed attempt: a new message, so a new key (the old one names the old content). */
  const edited = () => {
    if (sendText.isError || sendMedia.isError) {
      sendText.reset();
      sendMedia.reset();
      setKey(crypto.randomUUID());
    }
  };

  const submit = () => {
    const body = text.trim();
    if (busy) return;
    const quote = target ? { replyTo: target.id } : {};
    // The typed text stays until the send is queued: a refused file keeps its caption.
    if (file) sendMedia.mutate({ file, caption: body, idempotencyKey: key, ...quote }, done);
    else if (body) sendText.mutate({ text: body, idempotencyKey: key, ...quote }, done);
  };

  return (
    <form
      className="border-t border-slate-200 bg-white p-2"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {target ? (
        <div className="mb-2 flex items-center gap-2 border-l-2 border-emerald-600 bg-slate-50 px-2 py-1 text-xs text-slate-600">
          <span className="min-w-0 flex-1 truncate">Replying to: {target.text}</span>
          <Button size="sm" variant="ghost" onClick={() => setTarget(null)} aria-label="Cancel the quote">Cancel</Button>
        </div>
      ) : null}
      {send.isError ? (
        <p role="alert" className="mb-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{file ? mediaErrorText(send.error) : sendErrorText(send.error)}</p>
      ) : null}
      {file ? (
        <AttachmentChip
          file={file}
          onRemove={() => {
            setFile(null);
            edited();
          }}
        />
      ) : null}
      <div className="flex items-end gap-2">
        <AttachButton
          threadId={threadId}
          disabled={busy}
          onPick={(picked) => {
            setFile(picked);
            edited();
          }}
        />
        <label htmlFor={`reply-${threadId}`} className="sr-only">Reply</label>
        <textarea
          ref={ref}
          id={`reply-${threadId}`}
          rows={2}
          maxLength={file ? 1024 : 4096}
          value={text}
          placeholder={file ? 'Add a caption (optional)…' : 'Write a reply…  (Enter sends, Shift+Enter new line)'}
          className="min-h-10 flex-1 resize-y rounded-md border border-slate-300 px-3 py-2 text-sm"
          onChange={(e) => {
            setText(e.target.value);
            edited();
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              submit();
            }
            if (e.key === 'Escape') e.currentTarget.blur();
          }}
        />
        <Button type="submit" variant="primary" busy={busy} disabled={!file && !text.trim()} aria-label={file ? 'Send file' : 'Send reply'}>
          <SendHorizontal className="size-4" aria-hidden />
          <span className="hidden sm:inline">Send</span>
        </Button>
      </div>
    </form>
  );
});
