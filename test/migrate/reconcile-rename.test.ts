import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { push } from '../../src/migrate/push.js';
import { renderReconcile } from '../../src/migrate/reconcile/file.js';
import { planReconcile } from '../../src/migrate/reconcile/generate.js';
import { parseRenames } from '../../src/migrate/reconcile/renames.js';
import { snapshot } from '../../src/migrate/snapshot.js';
import { adminUrl, freshDatabase } from '../helpers/db.js';
import { migrationProject } from '../helpers/migrations.js';

const A = { '20260301000000_items.sql': 'create table if not exists public.items (id int primary key, name text not null);\nalter table public.items enable row level security;\n' };
const B = { '20260302000000_items_idx.sql': 'create index if not exists items_name_lower_idx on public.items (lower(name));\n' };

/** At version A with rows, then `name` renamed to `title` by hand: the pending index on lower(name) would fail. */
async function renamed() {
  const project = migrationProject({ ...A, ...B });
  await snapshot(adminUrl(), project.migrations, project.lock);
  const db = await freshDatabase({ empty: true });
  await push(db.url, { migrationsDir: migrationProject(A).migrations });
  await db.pool.query('insert into public.items values (1, \'kept\'), (2, \'kept too\'); alter table public.items rename column name to title');
  return { project, db };
}

describe('rename candidates in db reconcile', () => {
  it('without --accept-rename: a manual rename item naming the flag; the rehearsal says the pending file still fails', async () => {
    const { project, db } = await renamed();
    const plan = await planReconcile(db.url, { migrationsDir: project.migrations, lockFile: project.lock });
    const rename = plan.items.find((i) => i.reason.startsWith('rename candidate'))!;
    assert.equal(rename.mark, 'manual');
    assert.match(rename.reason, /items\.name is missing and items\.title \(text\) is unknown; .* --accept-rename items\.title=name/);
    assert.equal(plan.rehearsal?.ok, false);
  });

  it('with --accept-rename items.title=name: renamed back (safe), rehearsed, pushed, verify green, rows kept', async () => {
    const { project, db } = await renamed();
    const plan = await planReconcile(db.url, { migrationsDir: project.migrations, lockFile: project.lock, acceptRenames: parseRenames('items.title=name') });
    assert.deepEqual(plan.items.map((i) => `${i.mark} ${i.sql}`), ['safe alter table public."items" rename column "title" to "name";']);
    assert.equal(plan.rehearsal?.ok, true, plan.rehearsal?.detail);
    const result = await push(db.url, { migrationsDir: project.migrations, lockFile: project.lock, reconcile: { file: 'r.sql', sql: renderReconcile(plan) } });
    assert.equal(result.verify?.ok, true, result.verify?.errors.map((e) => e.message).join('\n'));
    assert.deepEqual((await db.pool.query('select id, name from public.items order by id')).rows, [{ id: 1, name: 'kept' }, { id: 2, name: 'kept too' }]);
  });

  it('an --accept-rename that matches no candidate, or is malformed, is refused', async () => {
    const { project, db } = await renamed();
    await assert.rejects(planReconcile(db.url, { migrationsDir: project.migrations, lockFile: project.lock, acceptRenames: parseRenames('items.other=name') }),
      /--accept-rename items\.other=name: no such rename candidate/);
    assert.throws(() => parseRenames('items.title'), /expected table\.old_column=new_column/);
  });
});
