// Issue 13: a combined filter (status/assignee with a tag or a search) first walks the newest
// threads of its slice and falls back to the planner's plan when the walk does not fill a page
// (migration 20261205100000). Either way every page must be exactly the filter's threads in list
// order: each combination here is paged to its end and compared with the same filter in plain SQL.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testApp, testUser } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';
import { createWorkspace } from '../helpers/sql.js';

describe('inbox combined filters', async () => {
  const db = await freshDatabase();
  const { app } = await testApp(db);
  const agent = await testUser(db, 'agent@combined.example');
  const ws = await createWorkspace(db.pool, 'combined-ws', [agent.id]);
  // 4,500 threads (1,500 per status), more than the walk's 1,024: pairs share a timestamp (ties go by id), every 97th
  // has no message yet (sorts last); 'late' and 'zz' occur only in the oldest threads, so the walk
  // over the newest finds nothing and the fallback must.
  await db.pool.query(`insert into wa_threads (workspace_id, phone_number_id, contact_wa_id, contact_name, status, assigned_to, last_message_preview, last_message_at)
    select $1, 'PN-W', '62710' || i, 'Contact ' || i, (array['open','pending','closed'])[i % 3 + 1], case when i % 2 = 0 then $2::uuid end,
           case when i % 7 = 0 then 'refund please' when i > 4200 then 'zz top' else 'hello' end,
           case when i % 97 <> 0 then timestamptz '2026-11-01' - (i / 2) * interval '1 minute' end
    from generate_series(1, 4500) i`, [ws, agent.id]);
  await db.pool.query(`insert into wa_thread_tags (thread_id, workspace_id, tag)
    select id, workspace_id, 'vip' from wa_threads where workspace_id = $1 and substr(contact_wa_id, 6)::int % 5 = 0
    union all
    select id, workspace_id, 'late' from wa_threads where workspace_id = $1 and substr(contact_wa_id, 6)::int > 3800 and assigned_to is not null`, [ws]);

  async function paged(query: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor = '';
    for (let page = 0; page < 200; page++) {
      const res = await app.inject({
        method: 'GET',
        url: `/api/meta/whatsapp/threads?workspaceId=${ws}&limit=30${query}${cursor}`,
        headers: { authorization: `Bearer ${agent.token}` },
      });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json() as { threads: { id: string }[]; nextCursor: string | null };
      ids.push(...body.threads.map((t) => t.id));
      if (!body.nextCursor) return ids;
      cursor = `&cursor=${body.nextCursor}`;
    }
    throw new Error(`${query}: more than 200 pages`);
  }

  async function expected(where: string): Promise<string[]> {
    const { rows } = await db.pool.query<{ id: string }>(
      `select t.id from wa_threads t where t.workspace_id = $1 and ${where}
        order by coalesce(t.last_message_at, '-infinity'::timestamptz) desc, t.id desc`, where.includes('$2') ? [ws, agent.id] : [ws]);
    return rows.map((r) => r.id);
  }
  const tagged = (tag: string) => `exists (select 1 from wa_thread_tags g where g.thread_id = t.id and g.tag = '${tag}')`;
  const combinations: [string, string, string][] = [
    ['dense: the walk fills the first pages, later ones fall back', '&status=open&assignee=me&tag=vip', `t.status = 'open' and t.assigned_to = $2 and ${tagged('vip')}`],
    ['a tag and a search over the whole workspace, ~29 hits per 1,024 threads', '&tag=vip&q=refund', `${tagged('vip')} and t.last_message_preview like '%refund%'`],
    ['hits only beyond the walk', '&status=pending&q=zz', `t.status = 'pending' and t.last_message_preview like '%zz%'`],
    ['a tag only beyond the walk, assigned', '&assignee=me&tag=late', `t.assigned_to = $2 and ${tagged('late')}`],
    ['no hits at all', '&assignee=unassigned&tag=late', `t.assigned_to is null and ${tagged('late')}`],
    ['a search under an assignee', '&assignee=me&q=refund', `t.assigned_to = $2 and t.last_message_preview like '%refund%'`],
    ['all four filters', '&status=closed&assignee=me&tag=vip&q=refund', `t.status = 'closed' and t.assigned_to = $2 and ${tagged('vip')} and t.last_message_preview like '%refund%'`],
  ];

  for (const [name, query, where] of combinations) {
    it(`${name}: every page in list order, nothing lost or repeated`, async () => {
      const want = await expected(where);
      const got = await paged(query);
      assert.deepEqual(got, want, query);
      if (!name.startsWith('no hits')) assert.ok(want.length > 0, `${query}: the fixture must match something`);
    });
  }

  it('the dense combination spans more than one page and the sparse ones reach past the walk', async () => {
    assert.ok((await expected(combinations[0]![2])).length > 60);
    const beyond = await db.pool.query<{ n: number }>(
      `select count(*)::int as n from (select t.id from wa_threads t where t.workspace_id = $1 and t.status = 'pending'
        order by coalesce(t.last_message_at, '-infinity'::timestamptz) desc, t.id desc limit 1024) w
        join wa_threads t using (id) where t.last_message_preview like '%zz%'`, [ws]);
    assert.equal(beyond.rows[0]!.n, 0, 'the newest 1,024 pending threads hold no "zz": the fallback is what finds them');
  });
});
