/** `npm run bench [name…]`: runs the benchmarks (all by default) and records them in bench/RESULTS.md. */
const benches: Record<string, () => Promise<{ run(): Promise<void> }>> = {
  'migrate': () => import('./migrate.bench.js'),
  'migrate-drift': async () => ({ run: (await import('./migrate.bench.js')).runDrift }),
  'hub': () => import('./hub.bench.js'),
  'media': () => import('./media.bench.js'),
  'inbox': () => import('./inbox.bench.js'),
  'monitor': () => import('./monitor.bench.js'),
  'web': () => import('./web.bench.js'),
  'templates': () => import('./templates.bench.js'),
};

const wanted = process.argv.slice(2);
for (const name of wanted.length ? wanted : Object.keys(benches)) {
  const load = benches[name];
  if (!load) {
    console.error(`unknown bench ${name}; known: ${Object.keys(benches).join(', ')}`);
    process.exit(2);
  }
  console.log(`# bench ${name}`);
  await (await load()).run();
}
