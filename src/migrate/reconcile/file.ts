import { AppError } from '../../errors.js';
import type { Item } from './items.js';
import type { ReconcilePlan } from './generate.js';

export const TAIL_MARKER = '-- wabase:non-transactional';
const FINGERPRINT = /^-- source catalog: (sha256:[0-9a-f]{64})/m;

const live = (item: Item) => item.mark === 'safe' || item.reason.endsWith('[approved]');

function render(item: Item): string {
  const body = live(item) ? item.sql : item.sql.split('\n').map((line) => `-- ${line}`).join('\n');
  return `-- [${item.mark}] ${item.reason}\n${body}`;
}

/** The reviewed file: header with the fingerprint, the transaction, then the non-transactional tail. */
export function renderReconcile(plan: ReconcilePlan, now = new Date()): string {
  const count = (test: (item: Item) => boolean) => plan.items.filter(test).length;
  const head = [
    '-- wabase:reconcile v1',
    `-- generated ${now.toISOString()} by wabase db reconcile`,
    `-- target:   ${plan.target} (PostgreSQL ${plan.server})`,
    `-- source catalog: ${plan.fingerprint}`,
    '--           (wabase db push --reconcile refuses this file once the live catalog no longer matches)',
    `-- expected: history up to ${plan.applied || '(nothing applied)'}, then ${plan.pending.length} pending file(s)${plan.pending.length ? `: ${plan.pending.join(', ')}` : ''}`,
    `-- proof:    ${plan.rehearsal?.detail ?? 'not rehearsed'}`,
    `-- summary:  ${count((i) => i.mark === 'safe')} safe · ${count((i) => i.mark.startsWith('approve:'))} approve (${count((i) => i.reason.endsWith('[approved]'))} approved) · ` +
    `${count((i) => i.mark === 'manual')} manual (commented out)`,
    '',
    'set local lock_timeout = \'2s\';',
    'set local statement_timeout = \'60s\';',
    'set local search_path = public, extensions;',
  ];
  const body = plan.items.filter((i) => !i.tail).map(render);
  const tail = plan.items.filter((i) => i.tail).map(render);
  return [...head, '', ...body, ...(tail.length ? ['', `${TAIL_MARKER}   (statements below run one by one, outside the transaction)`, ...tail] : []), ''].join('\n');
}

/** The fingerprint and the two parts of a reconcile file; a file without a header is refused. */
export function parseReconcile(name: string, sql: string): { fingerprint: string; transactional: string; tail: string } {
  const match = FINGERPRINT.exec(sql);
  if (!sql.startsWith('-- wabase:reconcile v1') || !match) {
    throw new AppError('reconcile_invalid', `${name} is not a wabase reconcile file (no "-- wabase:reconcile v1" header with a source catalog fingerprint)`, 400);
  }
  const at = sql.indexOf(TAIL_MARKER);
  return { fingerprint: match[1]!, transactional: at === -1 ? sql : sql.slice(0, at), tail: at === -1 ? '' : sql.slice(at) };
}
