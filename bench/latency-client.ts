/**
 * A bench client in its own process, as a browser is: `warmup` requests, then `rounds` runs of
 * `requests` sequential GETs cycling through the URLs; prints the runs' p50/p99 as JSON.
 * Args: base, token, JSON array of URLs, requests, warmup, rounds.
 */
import { httpLatencies } from './lib.js';

const [base, token, urls, requests, warmup, rounds] = process.argv.slice(2);
const list = JSON.parse(urls!) as string[];
await httpLatencies(base!, token!, list, Number(warmup));
const runs = [];
for (let round = 0; round < Number(rounds); round++) runs.push(await httpLatencies(base!, token!, list, Number(requests)));
console.log(JSON.stringify(runs));
