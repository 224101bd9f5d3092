import { Download, FileText } from 'lucide-react';
import { useState } from 'react';
import { Dialog } from '../ui/dialog';
import { formatBytes } from '../ui/format';
import type { ArchivedMessage } from './queries';
import { useStableUrl } from './stable-url';

type Media = NonNullable<ArchivedMessage['media']>;

/**
 * A message's media inline through its signed URL: an image as a thumbnail that opens full size,
 * video and audio with players, a document as a download with name and size. An expired URL is
 * re-read before it is shown broken (see useStableUrl).
 */
export function MediaView({ message, refetch }: { message: ArchivedMessage & { media: Media }; refetch: () => void }) {
  const { media, kind } = message;
  const { url, failed } = useStableUrl(media, refetch);
  const [open, setOpen] = useState(false);

  if (!url) return <p className="text-sm text-slate-500">Media not available ({media.mime})</p>;
  const what = `${kind} from ${message.senderName ?? 'sender'}`;
  if (kind === 'image' || (kind === 'other' && media.mime.startsWith('image/'))) {
    return (
      <>
        <button type="button" onClick={() => setOpen(true)} className="block w-fit max-w-full overflow-hidden rounded-md border border-slate-200" aria-label={`Open image full size (${formatBytes(media.bytes)})`}>
          <img
            src={url}
            alt={message.text ?? `Image ${what}`}
            loading="lazy"
            decoding="async"
            onError={failed}
            width={media.width ?? undefined}
            height={media.height ?? undefined}
            className="h-auto max-h-48 w-auto max-w-full object-cover"
          />
        </button>
        {/* Mounted when opened: 50 closed dialogs on a page are 50 sets of providers to render. */}
        {open && (
          <Dialog open onOpenChange={setOpen} title="Image">
            <img src={url} alt={message.text ?? `Image ${what}`} className="h-auto w-full" onError={failed} />
          </Dialog>
        )}
      </>
    );
  }
  if (kind === 'video') {
    return <video controls preload="metadata" src={url} onError={failed} aria-label={`Video ${what}`} className="max-h-64 w-full max-w-md rounded-md bg-black" />;
  }
  if (kind === 'audio') return <audio controls preload="metadata" src={url} onError={failed} aria-label={`Audio ${what}`} className="w-full max-w-sm" />;
  const name = media.fileName ?? `file.${media.mime.split('/')[1] ?? 'bin'}`;
  return (
    <a href={url} download={name} className="inline-flex max-w-full items-center gap-2 rounded-md border border-slate-200 px-3 py-2 text-sm hover:bg-slate-50">
      <FileText className="size-5 shrink-0 text-slate-500" aria-hidden />
      <span className="min-w-0 truncate font-medium text-slate-800">{name}</span>
      <span className="shrink-0 text-slate-500">{formatBytes(media.bytes)}</span>
      <Download className="size-4 shrink-0 text-slate-500" aria-hidden />
      <span className="sr-only">Download</span>
    </a>
  );
}
