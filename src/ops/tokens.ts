import type { Pool, PoolClient } from '../db/pool.js';
import { ConflictError } from '../errors.js';
import { type Admin, asAdmin, writeAudit } from './admin-context.js';
import type { TokenChangeInput } from './inputs.js';

export interface TokenChangeResult {
  applied: boolean;
  balance: number;
  ledgerId: string;
}

/**
 * A replayed reference id must be the same request: a deduct reusing a grant's reference, or a
 * grant replayed with another amount or reason, is refused (409 idempotency_key_reused, naming
 * what differs) instead of being reported as already applied.
 */
async function sameRequestAsBefore(client: PoolClient, ledgerId: string, delta: number, input: TokenChangeInput): Promise<void> {
  const before = (await client.query<{ delta: number; reason: string }>('select delta, reason from public.workspace_token_ledger where id = $1', [ledgerId])).rows[0];
  if (!before) return;
  const differs = [
    Math.sign(before.delta) !== Math.sign(delta) ? `direction (it was a ${before.delta > 0 ? 'grant' : 'deduct'})` : null,
    Math.abs(before.delta) !== Math.abs(delta) ? `amount (it was ${Math.abs(before.delta)})` : null,
    before.reason !== input.reason ? 'reason' : null,
  ].filter(Boolean);
  if (differs.length > 0) {
    throw new ConflictError('idempotency_key_reused', `referenceId "${input.referenceId}" was already used for another change: this request differs in ${differs.join(', ')}`);
  }
}

/**
 * Grants or deducts tokens through apply_workspace_token_delta, with its audit row in the same
 * transaction. A replay with the same reference id changes nothing, so it writes no audit row.
 */
export async function changeTokens(
  pool: Pool,
  admin: Admin,
  workspaceId: string,
  direction: 'grant' | 'deduct',
  input: TokenChangeInput,
): Promise<TokenChangeResult> {
  const delta = direction === 'grant' ? input.amount : -input.amount;
  return asAdmin(pool, admin, async (client) => {
    const result = await client.query<{ applied: boolean; ledger_id: string; balance: number }>(
      'select applied, ledger_id, balance from public.apply_workspace_token_delta($1, $2, $3, $4, $5, $6)',
      [workspaceId, delta, input.reason, 'ops_console', input.referenceId, admin.userId],
    );
    const row = result.rows[0]!;
    if (!row.applied) await sameRequestAsBefore(client, row.ledger_id, delta, input);
    if (row.applied) {
      await writeAudit(client, admin, {
        action: direction === 'grant' ? 'owner.tokens.granted' : 'owner.tokens.deducted',
        workspaceId,
        targetTable: 'workspace_token_balance',
        targetId: workspaceId,
        // The function serialises deltas on the balance row, so the balance before is exact.
        before: { balance: row.balance - delta },
        after: { balance: row.balance, ledgerId: row.ledger_id },
        meta: { amount: input.amount, reason: input.reason, referenceId: input.referenceId },
      });
    }
    return { applied: row.applied, balance: row.balance, ledgerId: row.ledger_id };
  });
}
