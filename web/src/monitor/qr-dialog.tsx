import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { usePollInterval } from '../live/live-context';
import { qrQuery } from './queries';
import { QrCode } from './qr-code';
import { useCountdown } from './use-countdown';

interface QrDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Called once the phone is linked (the dialog closes itself). */
  onLinked: () => void;
  onNewQr: () => void;
  askingNewQr: boolean;
  /** Why the last request for a QR was refused ("try again in N s"). */
  problem: string | null;
}

/**
 * The QR to scan, large, with a countdown to its expiry. A `qr.updated` event re-reads it while open,
 * so a QR the worker replaces is replaced here too (a dialog left open never shows a stale one);
 * once the session is connected (`session.updated`) it closes by itself.
 */
export function QrDialog({ open, onOpenChange, onLinked, onNewQr, askingNewQr, problem }: QrDialogProps) {
  // A QR lives about 20 s: while the event stream is down the open dialog re-reads every 3 s, not at the slow safety poll.
  const qr = useQuery({ ...qrQuery(), enabled: open, refetchInterval: usePollInterval(3000) });
  const left = useCountdown(qr.data?.expiresAt);
  const connected = qr.data?.status === 'connected';
  useEffect(() => {
    if (open && connected) onLinked();
  }, [open, connected, onLinked]);
  const current = qr.data?.qr && left !== 0 ? qr.data.qr : null;

  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Link a phone" description="On the phone: WhatsApp → Settings → Linked devices → Link a device, then scan this code.">
      <div className="flex flex-col items-center gap-3">
        {current ? (
          <>
            <QrCode text={current} label="WhatsApp linking QR code" />
            <p className="text-sm text-slate-600" aria-live="off">
              Expires in <span className="font-medium tabular-nums" data-testid="qr-countdown">{left}</span> s — a new code appears here by itself.
            </p>
          </>
        ) : (
          <div role="status" className="flex aspect-square w-full max-w-72 flex-col items-center justify-center gap-3 rounded-md border border-dashed border-slate-300 p-4 text-center text-sm text-slate-600">
            {qr.isError ? <p>Could not read the QR: {qr.error.message}</p> : <p>Waiting for the worker to show a QR…</p>}
            <Button size="sm" busy={askingNewQr} onClick={onNewQr}>Ask for a new QR</Button>
            {problem ? <p role="alert" className="text-red-700">{problem}</p> : null}
          </div>
        )}
      </div>
    </Dialog>
  );
}
