/**
 * An init script (runs before the app) that keeps a copy of every frame of the event stream at
 * `path` in `window.__sse`, so a test can assert on what the stream carried and not only on the
 * screen. The page reads its own copy of the stream unchanged.
 */
export function tapEventStream(path: string): string {
  return `(() => {
  const original = window.fetch;
  window.__sse = '';
  window.fetch = async (...args) => {
    const response = await original(...args);
    const url = String(args[0] instanceof Request ? args[0].url : args[0]);
    if (!url.includes(${JSON.stringify(path)}) || !response.body) return response;
    const [page, tap] = response.body.tee();
    (async () => {
      const reader = tap.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) { const { value, done } = await reader.read(); if (done) break; window.__sse += value; }
    })().catch(() => {});
    return new Response(page, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
})();`;
}
