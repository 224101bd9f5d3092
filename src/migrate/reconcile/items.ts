import type { Catalog } from '../catalog.js';
import type { Difference } from '../compare.js';
import { API_ROLES, splitGrant } from '../security.js';

/** How a reconcile statement runs: live (safe), live only when approved, or commented out for a human. */
export type Mark = 'safe' | `approve:${Hazard}` | 'manual';
export type Hazard = 'data-dependent' | 'perf' | 'authz' | 'api';

export interface Item {
  mark: Mark;
  /** Why: one comment line. */
  reason: string;
  sql: string;
  /** Runs outside the transaction (a concurrent index build or drop). */
  tail?: boolean;
  /** A read-only count to run on the live database before deciding (null rows, non-null data). */
  probe?: { table: string; where: string; meaning: string };
}

type Props = Record<string, unknown>;
const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
const table = (name: string) => `public.${q(name)}`;

function columnSql(name: string, props: Props): Item {
  const [t, c] = name.split('.') as [string, string];
  const notNull = props.nullable === 'NO';
  const def = props.default ? ` default ${String(props.default)}` : '';
  if (notNull && !def) {
    return {
      mark: 'manual', reason: `column ${name} is missing and NOT NULL without a default: add it nullable, backfill, then set not null`,
      sql: `alter table ${table(t)} add column if not exists ${q(c)} ${String(props.type)};`,
      probe: { table: t, where: 'true', meaning: 'row(s) to backfill' },
    };
  }
  return { mark: 'safe', reason: `column ${name} is missing`, sql: `alter table ${table(t)} add column if not exists ${q(c)} ${String(props.type)}${def}${notNull ? ' not null' : ''};` };
}

const PRIVILEGE_OBJECT = /^(table|view|sequence|column|function) (.+)$/;

/** GRANT/REVOKE text for a grant key's object: `table public."x"`, `function public.f(integer)`, columns as `(c) on table`. */
function grantTarget(object: string): { on: string; columns: string } | null {
  const match = PRIVILEGE_OBJECT.exec(object);
  if (!match) return null;
  const [, kind, name] = match as unknown as [string, string, string];
  if (kind === 'column') {
    const [t, c] = name.split('.') as [string, string];
    return { on: `table ${table(t)}`, columns: ` (${q(c)})` };
  }
  if (kind === 'function') {
    const bare = name.slice(0, name.indexOf('('));
    const types = name.slice(name.indexOf('(') + 1, -1).split(', ').filter(Boolean).map((a) => a.split(' ').slice(1).join(' '));
    return { on: `function public.${q(bare)}(${types.join(', ')})`, columns: '' };
  }
  return { on: `${kind === 'view' ? 'table' : kind} ${table(name)}`, columns: '' };
}

function privilegeItems(d: Difference, expected: Catalog, live: Catalog): Item[] {
  const { object, grantee } = splitGrant(d.name);
  if (object.startsWith('default ')) {
    return [{ mark: 'manual', reason: `default privileges differ: ${d.message}`, sql: `-- alter default privileges … (${d.name})` }];
  }
  const target = grantTarget(object);
  if (!target || grantee === 'owner' || grantee === 'current_user') return [];
  const role = grantee === 'public' ? 'public' : q(grantee);
  const want = new Set(String((expected.privileges[d.name] as Props | undefined)?.privileges ?? '').split(',').filter(Boolean));
  const have = new Set(String((live.privileges[d.name] as Props | undefined)?.privileges ?? '').split(',').filter(Boolean));
  const bare = (p: string) => p.replace(/\*$/, '');
  const revoke = [...have].filter((p) => !want.has(p)).map(bare);
  const grant = [...want].filter((p) => !have.has(p)).map(bare);
  const items: Item[] = [];
  if (revoke.length) {
    items.push({
      mark: 'safe', reason: `${grantee} holds ${revoke.join(', ')} on ${object} that the migrations do not grant${API_ROLES.has(grantee) ? ' (security)' : ''}`,
      sql: `revoke ${revoke.join(', ').toLowerCase()}${target.columns} on ${target.on} from ${role};`,
    });
  }
  if (grant.length) {
    items.push({ mark: 'safe', reason: `${grantee} lacks ${grant.join(', ')} on ${object}`, sql: `grant ${grant.join(', ').toLowerCase()}${target.columns} on ${target.on} to ${role};` });
  }
  return items;
}

function policySql(name: string, props: Props): string {
  const [t, p] = name.split('.') as [string, string];
  const roles = ((props.roles ?? []) as string[]).map((r) => (r === 'public' ? 'public' : q(r))).join(', ');
  return `drop policy if exists ${q(p)} on ${table(t)};\ncreate policy ${q(p)} on ${table(t)} as ${String(props.permissive).toLowerCase()} for ${String(props.command).toLowerCase()} ` +
    `to ${roles}${props.using ? ` using (${String(props.using)})` : ''}${props.check ? ` with check (${String(props.check)})` : ''};`;
}

const concurrently = (definition: string) => definition.replace(/^CREATE (UNIQUE )?INDEX (\S+) ON/, 'create $1index concurrently if not exists $2 on') + ';';

/** The statement (or comment) that takes `live` back to `expected` for one difference. */
export function itemsFor(d: Difference, expected: Catalog, live: Catalog): Item[] {
  const want = (expected[d.section] ?? {})[d.name] as Props | undefined;
  const have = (live[d.section] ?? {})[d.name] as Props | undefined;
  const [t, c] = d.name.split('.') as [string, string];
  switch (d.section) {
    case 'columns':
      if (d.kind === 'missing') return [columnSql(d.name, want!)];
      if (d.kind === 'extra') {
        return [{ mark: 'manual', reason: `column ${d.name} is unknown to the migrations: keep it, or drop it once its data is no longer needed`,
          sql: `alter table ${table(t)} drop column ${q(c)};`, probe: { table: t, where: `${q(c)} is not null`, meaning: 'non-null value(s) it holds' } }];
      }
      if (d.property === 'nullable' && want?.nullable === 'YES') return [{ mark: 'safe', reason: `column ${d.name} is NOT NULL; the migrations make it nullable`, sql: `alter table ${table(t)} alter column ${q(c)} drop not null;` }];
      if (d.property === 'nullable') {
        return [{ mark: 'approve:data-dependent', reason: `column ${d.name} is nullable; the migrations make it NOT NULL`, sql: `alter table ${table(t)} alter column ${q(c)} set not null;`,
          probe: { table: t, where: `${q(c)} is null`, meaning: 'null row(s) that would make it fail' } }];
      }
      if (d.property === 'default') {
        return [{ mark: 'safe', reason: `column ${d.name}: default differs`,
          sql: want?.default ? `alter table ${table(t)} alter column ${q(c)} set default ${String(want.default)};` : `alter table ${table(t)} alter column ${q(c)} drop default;` }];
      }
      return [{ mark: 'manual', reason: `column ${d.name}: type is ${String(have?.type)}, the migrations make ${String(want?.type)} (a rewrite; check every value casts)`,
        sql: `alter table ${table(t)} alter column ${q(c)} type ${String(want?.type)} using ${q(c)}::${String(want?.type)};`,
        probe: { table: t, where: `${q(c)} is not null`, meaning: 'value(s) to cast' } }];
    case 'indexes':
      if (d.kind === 'missing') {
        const unique = /^CREATE UNIQUE/.test(String(want?.definition));
        return [{ mark: unique ? 'approve:data-dependent' : 'safe', reason: `index ${d.name} is missing`, sql: concurrently(String(want?.definition)), tail: true }];
      }
      if (d.kind === 'extra') return [{ mark: 'approve:perf', reason: `index ${d.name} is unknown to the migrations`, sql: `drop index concurrently if exists public.${q(d.name)};`, tail: true }];
      if (d.property === 'valid') {
        return [
          { mark: 'safe', reason: `index ${d.name} is invalid (a failed concurrent build)`, sql: `drop index concurrently if exists public.${q(d.name)};`, tail: true },
          { mark: 'safe', reason: `index ${d.name} rebuilt`, sql: concurrently(String(want?.definition)), tail: true },
        ];
      }
      return [{ mark: 'manual', reason: `index ${d.name}: definition is ${String(have?.definition)}`, sql: `-- ${String(want?.definition)}` }];
    case 'privileges':
      return privilegeItems(d, expected, live);
    case 'policies':
      if (d.kind === 'extra') {
        return [{ mark: 'approve:authz', reason: `policy ${d.name} is unknown to the migrations${have?.permissive === 'PERMISSIVE' ? ' and widens row access' : ''}`,
          sql: `drop policy if exists ${q(c)} on ${table(t)};` }];
      }
      return [{ mark: 'safe', reason: `policy ${d.name} ${d.kind === 'missing' ? 'is missing' : 'differs'} (security)`, sql: policySql(d.name, want!) }];
    case 'tables':
      if (d.kind === 'changed' && (d.property === 'rls' || d.property === 'force_rls')) {
        const on = want?.[d.property] === true;
        const verb = d.property === 'rls' ? (on ? 'enable' : 'disable') : (on ? 'force' : 'no force');
        return [{ mark: 'safe', reason: `table ${d.name}: ${d.property.replace('_', ' ')} should be ${on ? 'on' : 'off'} (security)`, sql: `alter table ${table(d.name)} ${verb} row level security;` }];
      }
      if (d.kind === 'extra') {
        return [{ mark: 'manual', reason: `table ${d.name} is unknown to the migrations: keep it, or drop it once its data is no longer needed`, sql: `drop table ${table(d.name)};`,
          probe: { table: d.name, where: 'true', meaning: 'row(s) it holds' } }];
      }
      return [{ mark: 'manual', reason: d.message, sql: `-- ${d.message}` }];
    case 'functions':
      if (d.kind === 'extra') {
        const bare = d.name.slice(0, d.name.indexOf('('));
        const types = d.name.slice(d.name.indexOf('(') + 1, -1).split(', ').filter(Boolean).map((a) => a.split(' ').slice(1).join(' '));
        return [{ mark: 'approve:api', reason: `function ${d.name} is unknown to the migrations (callers may use it)`, sql: `drop function if exists public.${q(bare)}(${types.join(', ')});` }];
      }
      return [{ mark: 'manual', reason: `function ${d.name} ${d.kind === 'missing' ? 'is missing' : `differs (${String(d.property)})`}: re-run its create or replace from the migration that defines it`, sql: `-- function ${d.name}` }];
    case 'extensions':
      if (d.kind === 'missing') return [{ mark: 'safe', reason: `extension ${d.name} is missing`, sql: `create extension if not exists ${q(d.name)};` }];
      return [];
    default:
      return [{ mark: 'manual', reason: d.message, sql: `-- ${d.message}` }];
  }
}
