/**
 * Runs `shutdown` once on the first SIGINT/SIGTERM; a second signal exits at once.
 * Returns a function that removes the handlers.
 */
export function onShutdownSignal(shutdown: (signal: NodeJS.Signals) => Promise<void>): () => void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.exit(130);
    }
    stopping = true;
    shutdown(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
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
