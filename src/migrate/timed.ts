/** A push step's progress event, for the CLI. */
export type StepEvent = { type: 'step'; step: string; ms: number; detail?: string };

/** Runs one step of a command and reports how long it took, with a one-line detail of its result. */
export async function timed<T>(
  step: string,
  onEvent: ((event: StepEvent) => void) | undefined,
  fn: () => Promise<T>,
  detail?: (result: T) => string | undefined,
): Promise<T> {
  const started = performance.now();
  const result = await fn();
  onEvent?.({ type: 'step', step, ms: performance.now() - started, detail: detail?.(result) });
  return result;
}
