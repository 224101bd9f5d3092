import { type FormEvent, useState } from 'react';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { Field, Input } from '../ui/field';
import { compactJson, formatDateTime } from '../ui/format';
import { type EntitlementAction, EntitlementDialog } from './entitlement-dialog';
import type { EntitlementRow } from './queries';

/** Entitlements every workspace is offered; they are listed (disabled) before they have a row. */
const KNOWN: Record<string, string> = { core_os: 'Core OS', meta_hub: 'Meta Hub' };
const KEY = /^[a-z0-9_]{2,120}$/;

interface Row {
  key: string;
  stored: EntitlementRow | null;
}

function rowsOf(entitlements: EntitlementRow[]): Row[] {
  const byKey = new Map(entitlements.map((row) => [row.key, row]));
  const keys = [...new Set([...Object.keys(KNOWN), ...byKey.keys()])].sort();
  return keys.map((key) => ({ key, stored: byKey.get(key) ?? null }));
}

/** The entitlements table with Enable, Disable and Payload per row, and enabling a key that has no row yet. */
export function EntitlementsSection({ workspaceId, entitlements }: { workspaceId: string; entitlements: EntitlementRow[] }) {
  const [action, setAction] = useState<EntitlementAction | null>(null);
  const [newKey, setNewKey] = useState('');
  const keyError = newKey !== '' && !KEY.test(newKey) ? 'Use 2 to 120 characters of a-z, 0-9 and _' : null;
  const onNewKey = (event: FormEvent) => {
    event.preventDefault();
    if (KEY.test(newKey)) setAction({ mode: 'enable', key: newKey, payload: {} });
  };

  return (
    <section aria-labelledby="entitlements-heading" className="rounded-lg border border-slate-200 bg-white">
      <h2 id="entitlements-heading" className="border-b border-slate-200 px-4 py-3 font-semibold">Entitlements</h2>
      <div>
        <table className="w-full text-left text-sm">
          <thead className="bg-slate-50 text-xs tracking-wide text-slate-500 uppercase max-sm:hidden">
            <tr>
              <th scope="col" className="px-4 py-2 font-medium">Key</th>
              <th scope="col" className="px-4 py-2 font-medium">Status</th>
              <th scope="col" className="px-4 py-2 font-medium">Payload</th>
              <th scope="col" className="hidden px-4 py-2 font-medium md:table-cell">Reason</th>
              <th scope="col" className="hidden px-4 py-2 font-medium lg:table-cell">Updated</th>
              <th scope="col" className="px-4 py-2"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rowsOf(entitlements).map(({ key, stored }) => {
              const enabled = stored?.enabled ?? false;
              const payload = stored?.payload ?? {};
              return (
                // On a phone a row wraps into a card: name, status and payload, then the actions.
                <tr key={key} data-key={key} className="max-sm:flex max-sm:flex-wrap max-sm:items-center max-sm:gap-x-3 max-sm:gap-y-1 max-sm:px-4 max-sm:py-3">
                  <th scope="row" className="px-4 py-3 font-normal max-sm:w-full max-sm:p-0">
                    <div className="font-medium text-slate-900">{KNOWN[key] ?? key}</div>
                    <code className="text-xs text-slate-500">{key}</code>
                  </th>
                  <td className="px-4 py-3 max-sm:p-0">{enabled ? <Badge tone="green">Enabled</Badge> : <Badge>Disabled</Badge>}</td>
                  <td className="max-w-56 px-4 py-3 max-sm:max-w-48 max-sm:p-0"><code className="block truncate text-xs" title={compactJson(payload)}>{stored ? compactJson(payload) : '—'}</code></td>
                  {/* On a phone the card shows the reason and the last change too; between phone and desktop widths they give way. */}
                  <td className="px-4 py-3 text-slate-600 empty:hidden max-sm:w-full max-sm:p-0 max-sm:text-xs sm:hidden md:table-cell">{stored?.reason ?? ''}</td>
                  <td className="px-4 py-3 text-xs text-slate-600 max-sm:w-full max-sm:p-0 sm:hidden lg:table-cell">
                    {stored ? <>{formatDateTime(stored.updatedAt)}{stored.updatedByEmail ? <div>{stored.updatedByEmail}</div> : null}</> : 'Never set'}
                  </td>
                  <td className="px-4 py-3 max-sm:w-full max-sm:p-0 max-sm:pt-2">
                    <div className="flex flex-wrap justify-end gap-2 max-sm:justify-start">
                      {enabled ? null : <Button size="sm" variant="primary" onClick={() => setAction({ mode: 'enable', key, payload })} aria-label={`Enable ${key}`}>Enable</Button>}
                      {/* Disabling an entitlement that is off records a (new) reason, as seed 000 does. */}
                      {stored ? <Button size="sm" onClick={() => setAction({ mode: 'disable', key, payload })} aria-label={`Disable ${key}`}>Disable</Button> : null}
                      <Button size="sm" onClick={() => setAction({ mode: 'payload', key, payload })} aria-label={`Payload of ${key}`}>Payload</Button>
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <form onSubmit={onNewKey} className="flex flex-wrap items-end gap-2 border-t border-slate-200 px-4 py-3" noValidate>
        <div className="w-full sm:w-72">
          <Field label="Enable another key" error={keyError}>
            {(props) => <Input {...props} placeholder="e.g. analytics_beta" autoComplete="off" value={newKey} onChange={(e) => setNewKey(e.target.value.trim())} />}
          </Field>
        </div>
        <Button type="submit" disabled={!KEY.test(newKey)} className={keyError ? 'sm:mb-5' : ''}>Enable…</Button>
      </form>
      {action ? <EntitlementDialog key={`${action.mode}:${action.key}`} workspaceId={workspaceId} action={action} onClose={() => setAction(null)} /> : null}
    </section>
  );
}
