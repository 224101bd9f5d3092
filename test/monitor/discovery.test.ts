// Discovery upserts groups by wa_group_id, never flips monitor, audits renames and its own run.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { discoverGroups, upsertGroups } from '../../src/monitor/discovery.js';
import { freshDatabase } from '../helpers/db.js';

describe('group discovery', async () => {
  const db = await freshDatabase();
  const groups = async () => (await db.pool.query('select wa_group_id, name, monitor from groups where wa_group_id like \'9%\' order by wa_group_id')).rows;
  const audits = async (kind: string) => (await db.pool.query('select detail from audit_log where kind = $1 order by at, id', [kind])).rows.map((r) => r.detail);

  it('stores new groups unmonitored and writes discovery {count}', async () => {
    const result = await discoverGroups(db.pool, async () => ({
      '91@g.us': { id: '91@g.us', subject: 'Alpha' },
      '92@g.us': { id: '92@g.us', subject: 'Beta' },
    }));
    assert.deepEqual(result, { count: 2, renamed: 0 });
    assert.deepEqual(await groups(), [
      { wa_group_id: '91@g.us', name: 'Alpha', monitor: false },
      { wa_group_id: '92@g.us', name: 'Beta', monitor: false },
    ]);
    assert.deepEqual(await audits('discovery'), [{ count: 2 }]);
  });

  it('never flips monitor, in either direction', async () => {
    await db.pool.query('update groups set monitor = true where wa_group_id = \'91@g.us\'');
    await discoverGroups(db.pool, async () => ({ '91@g.us': { id: '91@g.us', subject: 'Alpha' }, '92@g.us': { id: '92@g.us', subject: 'Beta' } }));
    assert.deepEqual((await groups()).map((g) => g.monitor), [true, false]);
  });

  it('a changed name updates groups.name and writes group_rename {from, to, wa_group_id}', async () => {
    const result = await discoverGroups(db.pool, async () => ({ '91@g.us': { id: '91@g.us', subject: 'Alpha (new)' } }));
    assert.deepEqual(result, { count: 1, renamed: 1 });
    assert.equal((await groups())[0].name, 'Alpha (new)');
    assert.equal((await groups())[0].monitor, true);
    assert.deepEqual(await audits('group_rename'), [{ from: 'Alpha', to: 'Alpha (new)', wa_group_id: '91@g.us' }]);
  });

  it('a live groups.update rename is audited without a discovery row; an unchanged name writes nothing', async () => {
    const discoveries = (await audits('discovery')).length;
    await upsertGroups(db.pool, [{ id: '92@g.us', subject: 'Beta 2' }, { id: '91@g.us' }], { full: false });
    await upsertGroups(db.pool, [{ id: '92@g.us', subject: 'Beta 2' }], { full: false });
    assert.equal((await audits('discovery')).length, discoveries);
    assert.deepEqual((await audits('group_rename')).at(-1), { from: 'Beta', to: 'Beta 2', wa_group_id: '92@g.us' });
    assert.equal((await audits('group_rename')).length, 2);
  });
});
