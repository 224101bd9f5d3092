// `wabase templates sync` against the fake Graph: every page stored, a WABA whose call fails says
// so and exits 1, a template Meta no longer lists becomes DELETED.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encryptSecret } from '../../src/hub/crypto.js';
import { templateSyncTask } from '../../src/hub/templates/sync-task.js';
import { runCli } from '../helpers/cli.js';
import { serverLogger } from '../helpers/run-log.js';
import { freshDatabase } from '../helpers/db.js';
import { fakeGraph, GRAPH_STEPS } from '../helpers/fake-graph.js';
import { registerSecret } from '../helpers/secrets.js';
import { createWorkspace, one } from '../helpers/sql.js';

const KEY_HEX = 'cd'.repeat(32);

describe('wabase templates sync', async () => {
  const db = await freshDatabase();
  const graph = await fakeGraph();
  const env = { DATABASE_URL: db.url, WABASE_ENCRYPTION_KEY: KEY_HEX, META_GRAPH_BASE_URL: graph.url };
  const ws = await createWorkspace(db.pool, 'tpl-cli');
  registerSecret('tpl-cli-token', 'connection access token');
  await db.pool.query('insert into wa_phone_numbers (workspace_id, phone_number_id, waba_id, access_token_enc) values ($1, \'10654000\', \'880001\', $2)',
    [ws, encryptSecret(Buffer.from(KEY_HEX, 'hex'), 'tpl-cli-token')]);
  const templates = Array.from({ length: 5 }, (_, i) => ({ id: String(i), name: `t_${i}`, language: 'en_US', category: 'UTILITY', status: 'APPROVED', components: [{ type: 'BODY', text: `Hello ${i}` }] }));

  it('stores every page, with --json', async () => {
    graph.setTemplates('880001', templates, 2);
    const res = await runCli(['templates', 'sync', '--workspace', 'tpl-cli', '--json'], env);
    assert.equal(res.code, 0, res.stderr);
    const [waba] = JSON.parse(res.stdout).wabas;
    assert.deepEqual({ templates: waba.templates, pages: waba.pages, error: waba.error }, { templates: 5, pages: 3, error: null });
    assert.equal((await one<{ n: number }>(db.pool, 'select count(*)::int as n from wa_message_templates where workspace_id = $1', [ws])).n, 5);
    assert.doesNotMatch(res.stdout + res.stderr, /tpl-cli-token/);
  });

  it('a template Meta no longer lists becomes DELETED; a failing WABA is reported and exits 1', async () => {
    graph.setTemplates('880001', templates.slice(1), 100);
    const res = await runCli(['templates', 'sync'], env);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /4 template\(s\) in 1 page\(s\), 1 gone at Meta/);
    assert.equal((await one(db.pool, 'select status from wa_message_templates where name = \'t_0\'')).status, 'DELETED');
    graph.replyTo(GRAPH_STEPS.templates, graph.error(400, 190, 'Error validating access token'));
    const failed = await runCli(['templates', 'sync'], env);
    assert.equal(failed.code, 1);
    assert.match(failed.stdout, /✗ WABA 880001 .*Error validating access token/);
    assert.equal((await one<{ n: number }>(db.pool, 'select count(*)::int as n from wa_message_templates where status = \'APPROVED\'')).n, 4, 'kept what it had');
  });

  it('the worker\'s schedule: two workers, one sync per interval', async () => {
    graph.setTemplates('880001', [...templates, { id: '99', name: 'scheduled', language: 'id', category: 'MARKETING', status: 'APPROVED', components: [] }], 100);
    const before = graph.calls(GRAPH_STEPS.templates).length;
    const controller = new AbortController();
    const task = () => templateSyncTask({ pool: db.pool, target: { baseUrl: graph.url, version: 'v21.0' }, key: Buffer.from(KEY_HEX, 'hex'), logger: serverLogger(), intervalMinutes: 60 });
    const runs = [task().run(controller.signal), task().run(controller.signal)];
    const until = Date.now() + 10_000;
    while ((await db.pool.query('select 1 from wa_message_templates where name = \'scheduled\'')).rowCount === 0) {
      if (Date.now() > until) throw new Error('no scheduled sync');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    controller.abort();
    await Promise.all(runs);
    assert.equal(graph.calls(GRAPH_STEPS.templates).length - before, 1, 'one worker synced, once');
  });
});
