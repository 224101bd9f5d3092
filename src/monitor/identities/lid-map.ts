import type pg from 'pg';
import { bareLid, barePn, type LidPair } from './jids.js';

type Db = Pick<pg.ClientBase, 'query'>;
export type LidSource = 'lid_mapping' | 'message_key' | 'group_metadata';

/** Stores lid ↔ phone jid pairs (one statement; the newest report of a lid wins). */
export async function saveLidPairs(db: Db, pairs: LidPair[], source: LidSource): Promise<number> {
  const unique = new Map<string, string>();
  for (const { lid, pn } of pairs) {
    const l = bareLid(lid);
    const p = barePn(pn);
    if (l && p) unique.set(l, p);
  }
  if (unique.size === 0) return 0;
  const { rowCount } = await db.query(
    `insert into public.wa_lid_map as m (lid, pn, source)
     select * from unnest($1::text[], $2::text[], array_fill($3::text, array[$4::int]))
     on conflict (lid) do update set pn = excluded.pn, source = excluded.source, updated_at = now()
       where m.pn is distinct from excluded.pn`,
    [[...unique.keys()], [...unique.values()], source, unique.size],
  );
  return rowCount ?? 0;
}

/** The known pairs for any of these jids (lids looked up by lid, phone jids by phone). */
export async function lookupLidPairs(db: Db, jids: string[]): Promise<LidPair[]> {
  const lids = [...new Set(jids.map(bareLid).filter((j): j is string => j !== null))];
  const pns = [...new Set(jids.map(barePn).filter((j): j is string => j !== null))];
  if (lids.length === 0 && pns.length === 0) return [];
  const { rows } = await db.query<LidPair>('select lid, pn from public.wa_lid_map where lid = any($1::text[]) or pn = any($2::text[])', [lids, pns]);
  return rows;
}
