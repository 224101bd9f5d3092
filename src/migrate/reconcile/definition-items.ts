import type { Catalog } from '../catalog.js';
import type { Difference } from '../compare.js';
import { splitGrant } from '../security.js';
import type { Definitions } from './definitions.js';
import { type Item, itemsFor } from './items.js';

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
/** Function properties `create or replace` can change in place (keeping owner and ACL). */
const REPLACEABLE = new Set(['body_md5', 'config', 'volatility', 'security_definer', 'language']);
const ENABLE: Record<string, string> = { O: 'enable', D: 'disable', R: 'enable replica', A: 'enable always' };

/**
 * A missing function made again from the expected state, then its ACL exactly as there: what a new
 * function gets by default (PUBLIC's EXECUTE, the schema's default privileges on the live database)
 * is revoked first, then the expected grants are made.
 */
function recreateFunction(name: string, definition: { sql: string; target: string }, expected: Catalog, live: Catalog): Item {
  const grants = Object.entries(expected.privileges ?? {})
    .filter(([key]) => key.startsWith(`function ${name} to `))
    .map(([key, props]) => ({ grantee: splitGrant(key).grantee, privileges: String((props as { privileges?: string } | null)?.privileges ?? '') }))
    .filter((g) => g.grantee !== 'owner' && g.grantee !== 'current_user' && g.privileges);
  const defaults = Object.keys(live.privileges ?? {}).filter((key) => /^default functions of .* to /.test(key)).map((key) => splitGrant(key).grantee)
    .filter((grantee) => grantee !== 'owner' && grantee !== 'current_user' && grantee !== 'public');
  const revokeFrom = ['public', ...[...new Set(defaults)].sort().map(q)];
  const acl = [`revoke all on ${definition.target} from ${revokeFrom.join(', ')};`,
    ...grants.map((g) => `grant ${g.privileges.split(',').map((p) => p.replace(/\*$/, '').toLowerCase()).join(', ')} on ${definition.target} to ` +
      `${g.grantee === 'public' ? 'public' : q(g.grantee)}${g.privileges.includes('*') ? ' with grant option' : ''};`)];
  return {
    mark: 'safe', reason: `function ${name} is missing: made again from the migrations, with its grants and revokes (${grants.map((g) => g.grantee).join(', ') || 'none'})`,
    sql: `${definition.sql.trim()};\n${acl.join('\n')}`,
  };
}

function definitionItems(d: Difference, expected: Catalog, live: Catalog, definitions: Definitions): Item[] | null {
  const definition = definitions.get(`${d.section}:${d.name}`);
  if (!definition || d.kind === 'extra') return null;
  if (d.section === 'functions') {
    if (d.kind === 'missing') return [recreateFunction(d.name, definition, expected, live)];
    if (!REPLACEABLE.has(String(d.property))) return null;
    return [{ mark: 'safe', reason: `function ${d.name}: ${String(d.property)} differs; create or replace keeps its owner and grants`, sql: `${definition.sql.trim()};` }];
  }
  if (d.section === 'triggers') {
    const [, trigger] = d.name.split('.') as [string, string];
    const enabled = String((expected.triggers[d.name] as { enabled?: string } | null)?.enabled ?? 'O');
    if (d.kind === 'changed' && d.property === 'enabled') {
      return [{ mark: 'safe', reason: `trigger ${d.name} is ${ENABLE[String(d.actual)] ?? String(d.actual)}d`, sql: `alter table ${definition.target} ${ENABLE[enabled]} trigger ${q(trigger)};` }];
    }
    const constraint = /^CREATE CONSTRAINT TRIGGER/.test(definition.sql);
    const create = constraint ? `drop trigger if exists ${q(trigger)} on ${definition.target};\n${definition.sql}` : definition.sql.replace(/^CREATE TRIGGER/, 'CREATE OR REPLACE TRIGGER');
    return [{ mark: 'safe', reason: `trigger ${d.name} ${d.kind === 'missing' ? 'is missing' : 'differs'}`,
      sql: `${create};${enabled === 'O' ? '' : `\nalter table ${definition.target} ${ENABLE[enabled]} trigger ${q(trigger)};`}` }];
  }
  if (d.section === 'views') {
    return [{ mark: 'safe', reason: `view ${d.name} ${d.kind === 'missing' ? 'is missing' : 'differs'} (create or replace: the rehearsal proves the columns are compatible)`,
      sql: `${definition.sql};` }];
  }
  return null;
}

/**
 * Reconcile items for the drift, with functions, triggers and views taken from the expected
 * state's own definitions; a missing function's grant differences travel with its re-creation.
 */
export function reconcileItems(drift: Difference[], expected: Catalog, live: Catalog, definitions: Definitions): Item[] {
  const recreated = new Set(drift.filter((d) => d.section === 'functions' && d.kind === 'missing' && definitions.has(`functions:${d.name}`)).map((d) => d.name));
  return drift
    .filter((d) => !(d.section === 'privileges' && recreated.has(splitGrant(d.name).object.replace(/^function /, ''))))
    .flatMap((d) => definitionItems(d, expected, live, definitions) ?? itemsFor(d, expected, live));
}
