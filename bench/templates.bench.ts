import { type TemplateComponent, validateTemplateParameters } from '../src/hub/templates/validate.js';
import { record, stats } from './lib.js';

/**
 * send-template's parameter validation (issue 17): the validator alone, over templates shaped like
 * real ones — an IMAGE header, a 6-placeholder positional body, URL + quick-reply + copy-code
 * buttons; a named-parameter body; and a refused mismatch (the error path). Target < 1 ms.
 */
const rich: TemplateComponent[] = [
  { type: 'HEADER', format: 'IMAGE' },
  { type: 'BODY', text: 'Hi {{1}}, your order {{2}} of {{3}} items ({{4}}) ships {{5}} from {{6}}. Reply STOP to opt out.' },
  { type: 'FOOTER', text: 'Toko Maju' },
  { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Track', url: 'https://shop.example/t/{{1}}' }, { type: 'QUICK_REPLY', text: 'Thanks' }, { type: 'COPY_CODE', text: 'Copy' }] },
];
const named: TemplateComponent[] = [{ type: 'HEADER', format: 'TEXT', text: 'Hello {{name}}' }, { type: 'BODY', text: 'Welcome {{first_name}}, your code is {{code}} valid until {{date}}.' }];
const cases = [
  { name: 'IMAGE header, 6 body params, 3 buttons', components: rich, parameters: { header: { image: { link: 'https://cdn.example/box.jpg' } }, body: ['Sari', 'A-17', '3', 'Rp 120.000', 'today', 'Jakarta'], buttons: [{ index: 0, text: 'A-17' }, { index: 1, payload: 'thanks' }, { index: 2, couponCode: 'SAVE10' }] } },
  { name: 'TEXT header, named body params', components: named, parameters: { header: { text: 'Sari' }, body: { first_name: 'Sari', code: '123456', date: '3 Dec' } } },
  { name: 'mismatch refused (count)', components: rich, parameters: { header: { image: { link: 'https://cdn.example/box.jpg' } }, body: ['Sari'] } },
] as const;

export async function run(): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const iterations = Number(process.env.BENCH_ITERATIONS ?? 20_000);
  const rows: string[] = [];
  for (const { name, components, parameters } of cases) {
    const p50s: number[] = [];
    const p99s: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const samples = new Float64Array(iterations);
      for (let i = 0; i < iterations; i++) {
        const started = performance.now();
        try {
          validateTemplateParameters(components, parameters as never);
        } catch {}
        samples[i] = performance.now() - started;
      }
      samples.sort();
      p50s.push(samples[Math.floor(iterations * 0.5)]! * 1000);
      p99s.push(samples[Math.floor(iterations * 0.99)]! * 1000);
    }
    const p50 = stats(p50s);
    const p99 = stats(p99s);
    const us = (s: ReturnType<typeof stats>) => `${s.median.toFixed(1)} µs (${s.min.toFixed(1)}–${s.max.toFixed(1)})`;
    const ratio = p99.median / 1000;
    rows.push(`| ${name} | ${us(p50)} | ${us(p99)} | < 1 ms | ${ratio.toFixed(3)}× the limit: ${ratio < 1 ? 'met' : 'not met'} |`);
    console.log(rows.at(-1));
  }
  record('Template parameter validation', [
    `send-template's validator alone (\`validateTemplateParameters\`, in process), ${iterations.toLocaleString('en')} calls per run, ${rounds} runs; what the route adds around it is one template row read in the send's transaction.`,
    '',
    '| template | p50 median (min–max) | p99 median (min–max) | target | p99 / target |',
    '|---|---|---|---|---|',
    ...rows,
  ]);
}
