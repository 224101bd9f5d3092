/**
 * SSE clients for the inbox bench, in their own process (their memory is not the server's): opens
 * `count` event streams with a token, prints `ready` once each has its `ready` frame, then, for
 * every `message.created` of `threadId`, the ms (Date.now) at which each stream saw it.
 * argv: url token count threadId
 */
const [url, token, countArg, threadId] = process.argv.slice(2) as [string, string, string, string];
const count = Number(countArg);
let ready = 0;
const seen: number[] = [];

async function stream(): Promise<void> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200 || !response.body) throw new Error(`events: ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let first = true;
  let marked = false;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    if (first && value.includes('event: ready')) {
      first = false;
      if (++ready === count) process.stdout.write('ready\n');
    }
    if (!marked && value.includes(threadId)) {
      marked = true;
      seen.push(Date.now());
      if (seen.length === count) process.stdout.write(`${JSON.stringify(seen)}\n`);
    }
  }
}

await Promise.all(Array.from({ length: count }, () => stream()));
