/**
 * A terminal's Ctrl-C reaches the whole foreground process group: under `npm start` npm and node
 * both get SIGINT and npm forwards its copy, so node sees two at once. Signals this close to the
 * first are the same request.
 */
export const SIGNAL_GRACE_MS = 1000;

export interface ShutdownSignalOptions {
  /** Signals within this many ms of the first do not abort the shutdown. Default SIGNAL_GRACE_MS. */
  graceMs?: number;
  /**
   * Runs when a later, deliberate signal forces exit (say, stops the embedded PostgreSQL at once),
   * before the process leaves; it must be quick.
   */
  force?: () => Promise<void>;
  /** Told about a forced exit before `force` runs. */
  onForce?: (signal: NodeJS.Signals) => void;
}

/**
 * Runs `shutdown` once on the first SIGINT/SIGTERM and exits 0 when it is done. A signal within
 * the grace window of the first is ignored; a later one runs `force` and exits 130.
 * Returns a function that removes the handlers.
 */
export function onShutdownSignal(
  shutdown: (signal: NodeJS.Signals) => Promise<void>,
  options: ShutdownSignalOptions = {},
): () => void {
  const graceMs = options.graceMs ?? SIGNAL_GRACE_MS;
  let firstAt: number | null = null;
  let forcing = false;
  const handler = (signal: NodeJS.Signals) => {
    if (firstAt === null) {
      firstAt = performance.now();
      shutdown(signal).then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
      return;
    }
    if (forcing || performance.now() - firstAt < graceMs) return;
    forcing = true;
    options.onForce?.(signal);
    const force = options.force ?? (async () => {});
    force().then(
      () => process.exit(130),
      (error: unknown) => {
        console.error(error);
        process.exit(130);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
