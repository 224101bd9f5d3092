// Seed 000 "Saved Views for Inbox" smoke tests.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testApp, testUser } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';
import { createWorkspace } from '../helpers/sql.js';

describe('saved views', async () => {
  const db = await freshDatabase();
  const { app } = await testApp(db);
  const userA = await testUser(db, 'a@views.example');
  const userB = await testUser(db, 'b@views.example');
  const stranger = await testUser(db, 'c@views.example');
  const ws = await createWorkspace(db.pool, 'views-ws', [userA.id, userB.id]);
  const call = (method: 'GET' | 'POST' | 'DELETE', token: string, payload?: object, query = '') =>
    app.inject({ method, url: `/api/meta/whatsapp/saved-views${query}`, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
  const filters = { status: 'open', tag: 'urgent', q: 'payment' };

  it('creating "Test View" succeeds; saving the same name again answers "View name already exists"', async () => {
    const created = await call('POST', userA.token, { workspaceId: ws, name: 'Test View', filters });
    assert.equal(created.statusCode, 201, created.body);
    assert.deepEqual(created.json().filters, filters);
    const again = await call('POST', userA.token, { workspaceId: ws, name: 'Test View', filters });
    assert.equal(again.statusCode, 409);
    assert.deepEqual(again.json(), { error: { code: 'view_name_exists', message: 'View name already exists' } });
  });

  it('the view appears in the list with its filters', async () => {
    const res = await call('GET', userA.token, undefined, `?workspaceId=${ws}`);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().views.map((v: { name: string; filters: unknown }) => [v.name, v.filters]), [['Test View', filters]]);
  });

  it('multi-user isolation: B does not see A\'s view and can create one with the same name', async () => {
    assert.deepEqual((await call('GET', userB.token, undefined, `?workspaceId=${ws}`)).json().views, []);
    const mine = await call('POST', userB.token, { workspaceId: ws, name: 'Test View', filters: { status: 'closed' } });
    assert.equal(mine.statusCode, 201, mine.body);
    const viewOfA = (await call('GET', userA.token, undefined, `?workspaceId=${ws}`)).json().views[0].id;
    const steal = await call('DELETE', userB.token, { workspaceId: ws, viewId: viewOfA });
    assert.equal(steal.statusCode, 404);
  });

  it('a non-member cannot save views in the workspace', async () => {
    const res = await call('POST', stranger.token, { workspaceId: ws, name: 'Sneaky', filters: {} });
    assert.equal(res.statusCode, 404);
  });

  it('validates filters, naming the field', async () => {
    const res = await call('POST', userA.token, { workspaceId: ws, name: 'Bad', filters: { status: 'archived' } });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().error.message, /filters\.status/);
  });

  it('deleting removes the view; it does not come back', async () => {
    const id = (await call('GET', userA.token, undefined, `?workspaceId=${ws}`)).json().views[0].id;
    const res = await call('DELETE', userA.token, { workspaceId: ws, viewId: id });
    assert.equal(res.statusCode, 200);
    assert.deepEqual((await call('GET', userA.token, undefined, `?workspaceId=${ws}`)).json().views, []);
  });
});
