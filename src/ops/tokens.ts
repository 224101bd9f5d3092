import type { Pool } from '../db/pool.js';
import { type Admin, asAdmin, writeAudit } from './admin-context.js';
import type { TokenChangeInput } from './inputs.js';

export interface TokenChangeResult {
  applied: boolean;
  balance: number;
  ledgerId: string;
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
