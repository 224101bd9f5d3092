import type { Pool } from '../db/pool.js';

export interface PricingDay {
  workspaceId: string;
  workspaceSlug: string;
  day: string;
  category: string;
  pricingType: string | null;
  billable: number;
  messages: number;
}

/**
 * Messages per pricing category per workspace per day (UTC), from the `pricing` objects Meta sent
 * on status webhooks (`ops_pricing_daily`, stored verbatim, no price computed). For platform admins.
 */
export async function pricingDaily(pool: Pool, query: { from: string; to: string; workspaceId?: string | undefined }): Promise<PricingDay[]> {
  const rows = await pool.query<PricingDay>(
    `select workspace_id as "workspaceId", workspace_slug as "workspaceSlug", to_char(day, 'YYYY-MM-DD') as day, category,
            pricing_type as "pricingType", billable, messages
     from public.ops_pricing_daily($1::date, $2::date, $3::uuid)`,
    [query.from, query.to, query.workspaceId ?? null],
  );
  return rows.rows;
}
