import type { Catalog } from './catalog.js';
import type { Difference } from './compare.js';

/** Roles every API caller can act as: a grant to one of them is reachable with the anon key. */
export const API_ROLES = new Set(['anon', 'authenticated', 'public']);

/** `table x to anon` -> { object: 'table x', grantee: 'anon' }. */
export function splitGrant(name: string): { object: string; grantee: string } {
  const at = name.lastIndexOf(' to ');
  return { object: name.slice(0, at), grantee: name.slice(at + 4) };
}

/** The object a difference names, as grant keys spell it (`table x`, `function f(a int)`). */
function objectKey(difference: Difference): string | null {
  const noun = { tables: 'table', views: 'view', functions: 'function', sequences: 'sequence' }[difference.section as string];
  return noun ? `${noun} ${difference.name}` : null;
}

/**
 * Splits differences into errors and drift warnings. Missing and changed objects are errors. Of
 * the extra ones, two weaken security and are errors too: a permissive policy the lock does not
 * have (it widens row access), and a grant to an API role on an object the lock manages. Grants on
 * an object the lock does not know at all are folded into that object's line; such a table with
 * RLS off that API roles can reach is an error (the anon key reads it).
 */
export function classifySeverity(differences: Difference[], actual: Catalog): { errors: Difference[]; warnings: Difference[] } {
  const extraObjects = new Set(differences.filter((d) => d.kind === 'extra').map(objectKey).filter((key): key is string => key !== null));
  const exposed = new Map<string, Set<string>>();
  const errors: Difference[] = [];
  const warnings: Difference[] = [];
  const kept = differences.filter((difference) => {
    if (difference.kind !== 'extra' || difference.section !== 'privileges') return true;
    const { object, grantee } = splitGrant(difference.name);
    const table = /^column ([^.]+)\./.exec(object)?.[1];
    const owner = table ? `table ${table}` : object;
    if (!extraObjects.has(owner)) return true;
    if (API_ROLES.has(grantee)) exposed.set(owner, (exposed.get(owner) ?? new Set()).add(grantee));
    return false;
  });
  for (const difference of kept) {
    if (difference.kind !== 'extra') {
      errors.push(difference);
      continue;
    }
    const problem = securityProblem(difference, actual, exposed);
    if (problem) errors.push({ ...difference, message: `${difference.message} (security: ${problem})` });
    else warnings.push(difference);
  }
  return { errors, warnings };
}

function securityProblem(difference: Difference, actual: Catalog, exposed: Map<string, Set<string>>): string | null {
  const props = (difference.actual ?? {}) as Record<string, unknown>;
  if (difference.section === 'policies' && props.permissive === 'PERMISSIVE') return 'an extra permissive policy widens row access';
  if (difference.section === 'privileges') {
    const { object, grantee } = splitGrant(difference.name);
    // Default privileges of other roles (Supabase's supabase_admin has its own) grant nothing yet:
    // a drift warning; what they grant shows up as a grant on the object it made.
    if (object.startsWith('default ')) return null;
    return API_ROLES.has(grantee) ? `${grantee} gains ${String(props.privileges ?? 'privileges')} the lock does not grant` : null;
  }
  if (difference.section === 'tables') {
    const roles = exposed.get(`table ${difference.name}`);
    const rls = (actual.tables[difference.name] as { rls?: boolean } | null)?.rls;
    if (roles && rls === false) return `row level security is off and ${[...roles].sort().join(', ')} can reach it`;
  }
  return null;
}
