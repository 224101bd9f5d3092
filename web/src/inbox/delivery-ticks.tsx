import { AlertCircle, Check, CheckCheck, Clock } from 'lucide-react';
import type { ThreadMessage } from './queries';

/** queued → sent → delivered → read, or failed with Meta's reason; named for screen readers. */
export function DeliveryTicks({ message }: { message: ThreadMessage }) {
  switch (message.status) {
    case 'queued':
      return <span className="inline-flex" title="Queued" data-status="queued"><Clock className="size-3.5" aria-hidden /><span className="sr-only">Queued</span></span>;
    case 'sent':
      return <span className="inline-flex" title="Sent" data-status="sent"><Check className="size-3.5" aria-hidden /><span className="sr-only">Sent</span></span>;
    case 'delivered':
      return <span className="inline-flex" title="Delivered" data-status="delivered"><CheckCheck className="size-3.5" aria-hidden /><span className="sr-only">Delivered</span></span>;
    case 'read':
      return <span className="inline-flex text-sky-600" title="Read" data-status="read"><CheckCheck className="size-3.5" aria-hidden /><span className="sr-only">Read</span></span>;
    case 'failed':
      return <span className="inline-flex text-red-700" data-status="failed"><AlertCircle className="size-3.5" aria-hidden /><span className="sr-only">Failed</span></span>;
    default:
      return null;
  }
}
