import { Download, FileText, ImageOff, Loader2 } from 'lucide-react';
import { useState } from 'react';
import { useStableUrl } from '../monitor/stable-url';
import { Dialog } from '../ui/dialog';
import { formatBytes } from '../ui/format';
import type { ThreadMessage } from './queries';

type Media = NonNullable<ThreadMessage['media']>;

/** Media still being fetched from Meta, or that never will be (expired, refused). */
function Placeholder({ media }: { media: Media }) {
  const waiting = media.state === 'pending' || media.state === 'processing';
  return (
    <p className="flex items-center gap-2 text-xs text-slate-500" role="status">
      {waiting ? <Loader2 className="size-4 animate-spin" aria-hidden /> : <ImageOff className="size-4" aria-hidden />}
      {waiting ? `Fetching ${media.kind}…` : `${media.kind[0]!.toUpperCase()}${media.kind.slice(1)} not available${media.state === 'expired' ? ' (expired at Meta)' : ''}`}
    </p>
  );
}

/**
 * A message's media inline through its signed URL (as the monitor's archive shows it): an image or
 * sticker as a thumbnail that opens full size, video and audio with players, a document as a
 * download with its name and size.
 */
export function MessageMedia({ messageId, media, refetch }: { messageId: string; media: Media; refetch: () => void }) {
  // Remounted when the item arrives (pending -> stored), so its first URL is the one shown.
  if (!media.url || !media.expiresAt) return <Placeholder media={media} />;
  return <SignedMedia key={media.state} messageId={messageId} media={{ ...media, url: media.url, expiresAt: media.expiresAt }} refetch={refetch} />;
}

function SignedMedia({ messageId, media, refetch }: { messageId: string; media: Media & { url: string; expiresAt: string }; refetch: () => void }) {
  const { url, failed } = useStableUrl({ id: messageId, url: media.url, expiresAt: media.expiresAt }, refetch);
  const [open, setOpen] = useState(false);
  if (!url) return <Placeholder media={media} />;
  const label = media.caption ?? media.fileName ?? media.kind;
  if (media.kind === 'image' || media.kind === 'sticker') {
    return (
      <>
        <button
          type="button"
          onClick={() => setOpen(true)}
          className="mb-1 block w-fit max-w-full overflow-hidden rounded-md border border-slate-200 bg-slate-100"
          aria-label={`Open ${media.kind} full size${media.bytes ? ` (${formatBytes(media.bytes)})` : ''}`}
        >
          <img
            src={url}
            alt={media.caption ?? `${media.kind} from the conversation`}
            loading="lazy"
            decoding="async"
            onError={failed}
            className={media.kind === 'sticker' ? 'size-28 object-contain' : 'h-auto max-h-56 w-auto max-w-full object-cover'}
          />
        </button>
        <Dialog open={open} onOpenChange={setOpen} title={media.kind === 'sticker' ? 'Sticker' : 'Image'}>
          <img src={url} alt={media.caption ?? 'Image'} className="h-auto w-full" onError={failed} />
          <a href={url} download className="mt-3 inline-flex items-center gap-1 text-sm text-emerald-800 underline">
            <Download className="size-4" aria-hidden />Download
          </a>
        </Dialog>
      </>
    );
  }
  if (media.kind === 'video') {
    return <video controls preload="metadata" src={url} onError={failed} aria-label={`Video: ${label}`} className="mb-1 max-h-64 w-full max-w-sm rounded-md bg-black" />;
  }
  if (media.kind === 'audio') return <audio controls preload="metadata" src={url} onError={failed} aria-label={`Audio: ${label}`} className="mb-1 w-64 max-w-full" />;
  const name = media.fileName ?? `document.${media.mime?.split('/')[1] ?? 'bin'}`;
  return (
    <a href={url} download={name} className="mb-1 flex max-w-full items-center gap-2 rounded-md border border-slate-200 bg-white/70 px-3 py-2 text-sm hover:bg-slate-50">
      <FileText className="size-5 shrink-0 text-slate-500" aria-hidden />
      <span className="min-w-0 truncate font-medium text-slate-800">{name}</span>
      <span className="shrink-0 text-xs text-slate-500">{formatBytes(media.bytes)}</span>
      <Download className="size-4 shrink-0 text-slate-500" aria-hidden />
      <span className="sr-only">Download</span>
    </a>
  );
}
