import type { Pool } from '../../db/pool.js';
import { withTransaction } from '../../db/tx.js';
import { decryptSecret } from '../crypto.js';
import { type GraphFailure, graphCall, type GraphTarget } from '../graph-api.js';

interface MetaTemplate {
  id?: string;
  name?: string;
  language?: string;
  category?: string;
  status?: string;
  components?: unknown[];
  quality_score?: { score?: string } | null;
  rejected_reason?: string;
}

interface TemplatePage {
  data?: MetaTemplate[];
  paging?: { cursors?: { after?: string }; next?: string };
}

export interface WabaSync {
  workspaceId: string;
  wabaId: string;
  /** Templates stored (inserted or updated). */
  templates: number;
  /** Templates that were known here and are gone at Meta (marked DELETED). */
  removed: number;
  pages: number;
  error: GraphFailure | null;
}

const FIELDS = 'id,name,language,category,status,components,quality_score,rejected_reason';
/** A WABA has at most a few thousand templates; past this many pages something is wrong. */
const MAX_PAGES = 200;

/** Every template of a WABA, all pages (`GET /{waba_id}/message_templates`, cursor `after`). */
async function fetchAll(target: GraphTarget, wabaId: string, token: string): Promise<{ templates: MetaTemplate[]; pages: number; error: GraphFailure | null }> {
  const templates: MetaTemplate[] = [];
  let after: string | undefined;
  let pages = 0;
  do {
    const result = await graphCall<TemplatePage>(target, {
      method: 'GET',
      path: `${encodeURIComponent(wabaId)}/message_templates`,
      token,
      secrets: [token],
      query: { fields: FIELDS, limit: '100', ...(after ? { after } : {}) },
    });
    if (!result.ok) return { templates, pages, error: result.failure };
    pages++;
    templates.push(...(result.body.data ?? []));
    after = result.body.paging?.next ? result.body.paging.cursors?.after : undefined;
  } while (after && pages < MAX_PAGES);
  return { templates, pages, error: null };
}

/**
 * Syncs the message templates of every WABA the workspaces' active numbers are on (one workspace
 * with `workspaceId`): all pages, then one transaction per workspace and WABA that upserts each
 * template (name, language, category, status, components, quality) and marks the ones Meta no
 * longer lists DELETED. A WABA whose call fails keeps what it had and reports the error.
 */
export async function syncTemplates(
  pool: Pool,
  target: GraphTarget,
  key: Buffer | null,
  options: { workspaceId?: string } = {},
): Promise<WabaSync[]> {
  const wabas = (await pool.query<{ workspace_id: string; waba_id: string; access_token_enc: string | null }>(
    `select distinct on (workspace_id, waba_id) workspace_id, waba_id, access_token_enc
     from public.wa_phone_numbers
     where status = 'active' and waba_id is not null and access_token_enc is not null and ($1::uuid is null or workspace_id = $1)
     order by workspace_id, waba_id, updated_at desc`,
    [options.workspaceId ?? null],
  )).rows;
  const results: WabaSync[] = [];
  for (const waba of wabas) {
    let token = '';
    try {
      token = key && waba.access_token_enc ? decryptSecret(key, waba.access_token_enc) : '';
    } catch {}
    const base = { workspaceId: waba.workspace_id, wabaId: waba.waba_id };
    if (!token) {
      results.push({ ...base, templates: 0, removed: 0, pages: 0, error: { httpStatus: null, metaCode: null, metaSubcode: null, message: 'The connection has no usable access token', retryable: false } });
      continue;
    }
    const fetched = await fetchAll(target, waba.waba_id, token);
    if (fetched.error) {
      results.push({ ...base, templates: 0, removed: 0, pages: fetched.pages, error: fetched.error });
      continue;
    }
    // One row per name and language (a page boundary that moved during the sync may repeat one).
    const unique = new Map(fetched.templates.filter((t) => t.name && t.language).map((t) => [`${t.name}\u0000${t.language}`, t]));
    const rows = [...unique.values()].map((t) => ({
      id: t.id ?? null,
      name: t.name,
      language: t.language,
      category: t.category ?? null,
      status: (t.status ?? 'PENDING').toUpperCase(),
      components: t.components ?? [],
      quality: t.quality_score?.score ?? null,
      reason: t.rejected_reason && t.rejected_reason !== 'NONE' ? t.rejected_reason : null,
    }));
    const { stored, removed } = await withTransaction(pool, async (client) => {
      const upserted = await client.query(
        `insert into public.wa_message_templates as t
           (workspace_id, waba_id, meta_template_id, name, language, category, status, components, quality, reason, event_at, synced_at)
         select $1, $2, r.id, r.name, r.language, r.category, r.status, coalesce(r.components, '[]'::jsonb), r.quality, r.reason, now(), now()
         from jsonb_to_recordset($3::jsonb) as r(id text, name text, language text, category text, status text, components jsonb, quality text, reason text)
         on conflict (workspace_id, waba_id, name, language) do update set
           meta_template_id = excluded.meta_template_id, category = excluded.category, status = excluded.status,
           components = excluded.components, quality = excluded.quality, reason = excluded.reason,
           event_at = excluded.event_at, synced_at = excluded.synced_at, updated_at = now()`,
        [waba.workspace_id, waba.waba_id, JSON.stringify(rows)],
      );
      const gone = await client.query(
        `update public.wa_message_templates t set status = 'DELETED', synced_at = now(), updated_at = now()
         where t.workspace_id = $1 and t.waba_id = $2 and t.status <> 'DELETED'
           and not exists (select from jsonb_to_recordset($3::jsonb) as r(name text, language text) where r.name = t.name and r.language = t.language)`,
        [waba.workspace_id, waba.waba_id, JSON.stringify(rows)],
      );
      return { stored: upserted.rowCount ?? 0, removed: gone.rowCount ?? 0 };
    });
    results.push({ ...base, templates: stored, removed, pages: fetched.pages, error: null });
  }
  return results;
}
