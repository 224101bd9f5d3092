import { FileText, Paperclip, X } from 'lucide-react';
import { useRef } from 'react';
import { Button } from '../ui/button';
import { formatBytes } from '../ui/format';

/** What the Cloud API takes (the server checks type and size again and says why it refuses). */
export const ACCEPTED_FILES = [
  'image/jpeg', 'image/png', 'video/mp4', 'video/3gpp', 'audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg', 'application/pdf', 'text/plain',
  '.doc', '.docx', '.xls', '.xlsx', '.ppt', '.pptx', '.opus', '.m4a',
].join(',');

/** The paperclip: opens the file picker. */
export function AttachButton({ threadId, onPick, disabled }: { threadId: string; onPick: (file: File) => void; disabled?: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={input}
        id={`attach-${threadId}`}
        type="file"
        accept={ACCEPTED_FILES}
        className="sr-only"
        tabIndex={-1}
        aria-hidden
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          if (file) onPick(file);
          // The same file can be picked again after it was removed.
          e.currentTarget.value = '';
        }}
      />
      <Button type="button" variant="ghost" aria-label="Attach a file" title="Attach an image, video, audio or document" disabled={disabled} onClick={() => input.current?.click()}>
        <Paperclip className="size-4" aria-hidden />
      </Button>
    </>
  );
}

/** The file about to be sent, with a way to take it off. */
export function AttachmentChip({ file, onRemove }: { file: File; onRemove: () => void }) {
  return (
    <div className="mb-2 flex max-w-full items-center gap-2 rounded-md border border-slate-200 bg-slate-50 px-2 py-1 text-sm" aria-label="Attachment">
      <FileText className="size-4 shrink-0 text-slate-500" aria-hidden />
      <span className="min-w-0 truncate font-medium text-slate-800">{file.name}</span>
      <span className="shrink-0 text-xs text-slate-500">{formatBytes(file.size)}</span>
      <button type="button" onClick={onRemove} className="ml-auto rounded p-0.5 text-slate-500 hover:bg-slate-200" aria-label={`Remove attachment ${file.name}`}>
        <X className="size-4" aria-hidden />
      </button>
    </div>
  );
}
