import * as Alert from '@radix-ui/react-alert-dialog';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { ApiError } from '../api/errors';
import { NotAuthorized } from '../app/not-authorized';
import { Button } from '../ui/button';
import { ErrorAlert } from '../ui/error-alert';
import { formatDateTime, formatNumber } from '../ui/format';
import { ErrorState, Loading } from '../ui/states';
import { useToast } from '../ui/toast';
import { useMonitorPoll } from './monitor-live';
import { ActivityList } from './activity-list';
import { MonitorLayout } from './monitor-nav';
import { retryMessage, useWorkerRequest } from './mutations';
import { statusQuery } from './queries';
import { QrDialog } from './qr-dialog';
import { SessionBadge } from './session-badge';

/** `/monitor`: the WhatsApp Web session: status, linking by QR, disconnecting, recent trouble. */
export function SessionPage() {
  const status = useQuery({ ...statusQuery(), refetchInterval: useMonitorPoll() });
  const toast = useToast();
  const refreshQr = useWorkerRequest('/api/monitor/wa/refresh-qr');
  const disconnect = useWorkerRequest('/api/monitor/wa/disconnect');
  const [linking, setLinking] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const askQr = useCallback(() => {
    setProblem(null);
    refreshQr.mutate(undefined, { onError: (error) => setProblem(retryMessage(error)) });
  }, [refreshQr]);
  const onLinked = useCallback(() => {
    setLinking(false);
    toast({ title: 'Phone linked' });
  }, [toast]);

  if (status.error instanceof ApiError && status.error.status === 403) return <NotAuthorized message={status.error.message} />;
  if (status.isPending) return <MonitorLayout title="Session"><Loading label="Loading the session…" /></MonitorLayout>;
  if (status.isError) return <MonitorLayout title="Session"><ErrorState title="Could not load the session" message={status.error.message} /></MonitorLayout>;
  const s = status.data;

  return (
    <MonitorLayout title="Session">
      <section aria-labelledby="session-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="session-heading" className="sr-only">WhatsApp session</h2>
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="flex flex-col gap-1">
            <div className="flex items-center gap-2" data-testid="session-status">
              <SessionBadge status={s.status} />
              {s.status === 'connected' ? (
                <span className="text-sm text-slate-800">
                  {s.waNumber ? <span className="font-medium">+{s.waNumber}</span> : null}
                  {s.waName ? <span> · {s.waName}</span> : null}
                </span>
              ) : null}
            </div>
            <p className="text-sm text-slate-600">Since {formatDateTime(s.lastStatusAt)}</p>
            <p className="text-sm text-slate-600">{formatNumber(s.groups.monitored)} of {formatNumber(s.groups.total)} groups monitored</p>
            {s.pendingFlags.length > 0 ? <p className="text-xs text-slate-500">Waiting for the worker: {s.pendingFlags.join(', ')}</p> : null}
          </div>
          {s.canManage ? (
            <div className="flex flex-wrap gap-2">
              {s.status !== 'connected' ? (
                <Button
                  variant="primary"
                  busy={refreshQr.isPending}
                  onClick={() => {
                    setLinking(true);
                    askQr();
                  }}
                >Link a phone
                </Button>
              ) : null}
              {s.status !== 'disconnected' ? <Button variant="danger" onClick={() => setConfirming(true)}>Disconnect</Button> : null}
            </div>
          ) : <p className="text-sm text-slate-500">You can read the monitor; linking and disconnecting are for owners and ops.</p>}
        </div>
        {problem ? <div className="mt-3"><ErrorAlert>{problem}</ErrorAlert></div> : null}
      </section>

      <section aria-labelledby="trouble-heading" className="rounded-lg border border-slate-200 bg-white">
        <h2 id="trouble-heading" className="border-b border-slate-200 px-4 py-2 text-sm font-semibold text-slate-700">Reconnects and errors</h2>
        <ActivityList kinds={['reconnect', 'disconnect', 'error']} limit={8} empty="No reconnects or errors recorded." />
      </section>

      {s.canManage ? (
        <QrDialog open={linking} onOpenChange={setLinking} onLinked={onLinked} onNewQr={askQr} askingNewQr={refreshQr.isPending} problem={problem} />
      ) : null}

      <Alert.Root open={confirming} onOpenChange={setConfirming}>
        <Alert.Portal>
          <Alert.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
          <Alert.Content className="fixed top-1/2 left-1/2 z-50 w-[calc(100vw-2rem)] max-w-sm -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-5 shadow-xl">
            <Alert.Title className="text-lg font-semibold">Disconnect the phone?</Alert.Title>
            <Alert.Description className="mt-1 text-sm text-slate-600">
              The worker logs out of WhatsApp Web and forgets the session. The archive stays; to archive again, link a phone with a new QR.
            </Alert.Description>
            <div className="mt-4 flex justify-end gap-2">
              <Alert.Cancel asChild><Button>Cancel</Button></Alert.Cancel>
              <Alert.Action asChild>
                <Button
                  variant="danger"
                  onClick={() => disconnect.mutate(undefined, {
                    onSuccess: () => toast({ title: 'Disconnect requested' }),
                    onError: (error) => toast({ tone: 'error', title: 'Could not disconnect', description: retryMessage(error) }),
                  })}
                >Disconnect
                </Button>
              </Alert.Action>
            </div>
          </Alert.Content>
        </Alert.Portal>
      </Alert.Root>
    </MonitorLayout>
  );
}
