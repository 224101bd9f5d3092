// Issue 16, what held: a member of workspace A reaches nothing of workspace B, on every route.
// The routes come from the app itself, so a new route without a case here fails this file.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { routesOf } from '../../src/http/route-list.js';
import { testApp } from '../helpers/app.js';
import { freshDatabase } from '../helpers/db.js';
import { multipart } from '../helpers/media-hub.js';
import { png } from '../helpers/media-files.js';
import { snapshot, type Tenant, twoTenants } from '../helpers/two-tenants.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Routes with no workspace of their own, and why a member of one workspace gets nothing there. */
const OTHER_SURFACES: [RegExp, string][] = [
  [/^\/api\/ops\//, 'platform admins only: a member gets 403 on every one (checked below)'],
  [/^\/api\/(monitor\/|messages$)/, 'deployment owners only: a member gets 403 on every one (checked below)'],
  [/^\/(healthz|readyz)$/, 'health, no data'],
  [/^\/api\/(me|auth\/settings)$/, 'the caller\'s own identity; no workspace'],
  [/^\/auth\/v1\//, 'the caller\'s own account (GoTrue); no workspace'],
  [/^\/api\/setup\//, 'first-run setup, guarded by its one-time token'],
  [/^\/api\/webhooks\//, 'Meta\'s webhook, guarded by the app secret\'s signature'],
  [/^\/storage\/v1\/object\/sign\//, 'signed media URLs: the token is the access (signed-urls.test.ts)'],
  [/^\/docs(\/|$)/, 'the API documentation'],
  [/^\/api\/workspaces$/, 'the caller\'s own memberships; no workspace id in the request'],
  [/^\/api\/meta\/whatsapp\/signup\/settings$/, 'public Embedded Signup settings (app id, config id); no workspace'],
  [/^\/api\/meta\/whatsapp\/signup\/complete$/, 'no workspace id: the single-use state names it; another user\'s state is 403 (embedded-signup.test.ts)'],
  [/^\/api\/meta\/oauth\/callback$/, 'Meta\'s redirect, guarded by the signed-in owner\'s single-use state (embedded-signup.test.ts)'],
  [/^\*$/, 'CORS preflight'],
  [/^\/(index\.html|favicon\.svg)(\.gz|\.br)?$|^\/assets\//, 'files of the web app'],
];
const surfaceOf = (url: string) => OTHER_SURFACES.find(([pattern]) => pattern.test(url))?.[1] ?? null;

describe('cross-tenant: a member of A against B\'s ids', async () => {
  const db = await freshDatabase();
  // Embedded Signup configured, so its start route reaches the workspace check.
  const { app } = await testApp(db, { SEND_RATE_LIMIT: '100000', OPS_WRITE_RATE_LIMIT: '100000', META_APP_ID: '1234567890', META_CONFIG_ID: '9876543210', META_APP_SECRET: 'cross-tenant-app-secret' });
  await app.ready();
  const { a, b } = await twoTenants(db);
  const as = (tenant: Tenant, method: Method, url: string, payload?: object) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${tenant.user.token}` }, ...(payload ? { payload } : {}) });

  /** Refused (403/404) and nothing of B in the answer: no id, no text. */
  function refused(res: LightMyRequestResponse, what: string) {
    assert.ok(res.statusCode === 403 || res.statusCode === 404, `${what}: ${res.statusCode} ${res.body}`);
    for (const secret of [b.marker, b.thread, b.message, b.view, b.connection]) assert.ok(!res.body.includes(secret), `${what} leaks ${secret}`);
  }

  /** Each member route, tried with B's ids alone and with B's ids mixed into A's own request. */
  const memberCases: Record<string, () => Promise<[LightMyRequestResponse, string][]>> = {
    'POST /api/meta/whatsapp/send-text': async () => [
      [await as(a, 'POST', '/api/meta/whatsapp/send-text', { workspaceId: b.workspace, threadId: b.thread, text: 'into B' }), 'B\'s workspace and thread'],
      [await as(a, 'POST', '/api/meta/whatsapp/send-text', { workspaceId: a.workspace, threadId: b.thread, text: 'into B' }), 'A\'s workspace, B\'s thread'],
      [await as(a, 'POST', '/api/meta/whatsapp/send-text', { workspaceId: b.workspace, threadId: a.thread, text: 'into B' }), 'B\'s workspace, A\'s thread'],
    ],
    'POST /api/meta/whatsapp/send-media': async () => {
      const upload = async (workspaceId: string, threadId: string) => {
        const body = await multipart({ workspaceId, threadId, caption: 'into B', file: { bytes: png(2, 2, [1, 2, 3]), type: 'image/png', name: 'b.png' } });
        return app.inject({ method: 'POST', url: '/api/meta/whatsapp/send-media', payload: body.payload,
          headers: { 'authorization': `Bearer ${a.user.token}`, 'content-type': body.contentType } });
      };
      return [
        [await upload(b.workspace, b.thread), 'upload, B\'s workspace and thread'],
        [await upload(a.workspace, b.thread), 'upload, A\'s workspace, B\'s thread'],
        [await upload(b.workspace, a.thread), 'upload, B\'s workspace, A\'s thread'],
        [await as(a, 'POST', '/api/meta/whatsapp/send-media', { workspaceId: b.workspace, threadId: b.thread, mediaId: b.thread }), 'stored item, B\'s thread'],
      ];
    },
    'POST /api/meta/whatsapp/send-template': async () => [
      [await as(a, 'POST', '/api/meta/whatsapp/send-template', { workspaceId: b.workspace, threadId: b.thread, name: 'x', language: 'en_US', parameters: {} }), 'B\'s workspace and thread'],
      [await as(a, 'POST', '/api/meta/whatsapp/send-template', { workspaceId: a.workspace, threadId: b.thread, name: 'x', language: 'en_US', parameters: {} }), 'A\'s workspace, B\'s thread'],
    ],
    'POST /api/meta/whatsapp/send-reaction': async () => [
      [await as(a, 'POST', '/api/meta/whatsapp/send-reaction', { workspaceId: b.workspace, threadId: b.thread, messageId: b.message, emoji: '👍' }), 'B\'s message'],
      [await as(a, 'POST', '/api/meta/whatsapp/send-reaction', { workspaceId: a.workspace, threadId: a.thread, messageId: b.message, emoji: '👍' }), 'A\'s thread, B\'s message'],
    ],
    'GET /api/meta/whatsapp/templates': async () => [
      [await as(a, 'GET', `/api/meta/whatsapp/templates?workspaceId=${b.workspace}`), 'templates'],
      [await as(a, 'GET', `/api/meta/whatsapp/templates?workspaceId=${b.workspace}&threadId=${b.thread}`), 'templates of B\'s thread'],
    ],
    'GET /api/meta/whatsapp/settings': async () => [
      [await as(a, 'GET', `/api/meta/whatsapp/settings?workspaceId=${b.workspace}`), 'settings'],
    ],
    'PATCH /api/meta/whatsapp/settings': async () => [
      [await as(a, 'PATCH', '/api/meta/whatsapp/settings', { workspaceId: b.workspace, readReceipts: false }), 'settings'],
    ],
    'GET /api/meta/whatsapp/threads': async () => [
      [await as(a, 'GET', `/api/meta/whatsapp/threads?workspaceId=${b.workspace}`), 'list'],
      [await as(a, 'GET', `/api/meta/whatsapp/threads?workspaceId=${b.workspace}&q=${b.marker}&tag=vip&status=open`), 'list, filtered'],
    ],
    'GET /api/meta/whatsapp/threads/:id/messages': async () => [
      [await as(a, 'GET', `/api/meta/whatsapp/threads/${b.thread}/messages`), 'messages'],
    ],
    'PATCH /api/meta/whatsapp/threads/:id': async () => [
      [await as(a, 'PATCH', `/api/meta/whatsapp/threads/${b.thread}`, { status: 'closed', tags: ['stolen'], read: true, assignedTo: a.user.id }), 'patch'],
      [await as(a, 'PATCH', `/api/meta/whatsapp/threads/${b.thread}`, { assignedTo: null }), 'unassign'],
    ],
    'GET /api/meta/whatsapp/threads/counts': async () => [
      [await as(a, 'GET', `/api/meta/whatsapp/threads/counts?workspaceId=${b.workspace}&tag=vip`), 'counts'],
    ],
    'GET /api/meta/whatsapp/tags': async () => [
      [await as(a, 'GET', `/api/meta/whatsapp/tags?workspaceId=${b.workspace}`), 'tags'],
    ],
    'GET /api/meta/whatsapp/threads/:id': async () => [
      [await as(a, 'GET', `/api/meta/whatsapp/threads/${b.thread}`), 'one thread'],
    ],
    'GET /api/meta/whatsapp/events': async () => [
      [await as(a, 'GET', `/api/meta/whatsapp/events?workspaceId=${b.workspace}`), 'event stream'],
    ],
    'GET /api/workspaces/:id/members': async () => [
      [await as(a, 'GET', `/api/workspaces/${b.workspace}/members`), 'members'],
    ],
    'GET /api/meta/whatsapp/connections': async () => [
      [await as(a, 'GET', `/api/meta/whatsapp/connections?workspaceId=${b.workspace}`), 'connections'],
    ],
    'POST /api/meta/whatsapp/connections': async () => [
      [await as(a, 'POST', '/api/meta/whatsapp/connections', { workspaceId: b.workspace, phoneNumberId: '1234567890', wabaId: '1234567890', accessToken: 'planted-token-xyz' }), 'add a connection to B'],
    ],
    'PATCH /api/meta/whatsapp/connections/:id': async () => [
      [await as(a, 'PATCH', `/api/meta/whatsapp/connections/${b.connection}`, { status: 'inactive' }), 'deactivate B\'s number'],
    ],
    'POST /api/meta/whatsapp/connections/:id/test': async () => [
      [await as(a, 'POST', `/api/meta/whatsapp/connections/${b.connection}/test`), 'test B\'s number'],
    ],
    'POST /api/meta/whatsapp/signup/start': async () => [
      [await as(a, 'POST', '/api/meta/whatsapp/signup/start', { workspaceId: b.workspace }), 'start a signup for B'],
    ],
    'GET /api/meta/whatsapp/saved-views': async () => [
      [await as(a, 'GET', `/api/meta/whatsapp/saved-views?workspaceId=${b.workspace}`), 'list'],
    ],
    'POST /api/meta/whatsapp/saved-views': async () => [
      [await as(a, 'POST', '/api/meta/whatsapp/saved-views', { workspaceId: b.workspace, name: 'planted', filters: {} }), 'create'],
    ],
    'DELETE /api/meta/whatsapp/saved-views': async () => [
      [await as(a, 'DELETE', '/api/meta/whatsapp/saved-views', { workspaceId: b.workspace, viewId: b.view }), 'B\'s view in B'],
      [await as(a, 'DELETE', '/api/meta/whatsapp/saved-views', { workspaceId: a.workspace, viewId: b.view }), 'B\'s view under A'],
    ],
  };

  const routes = routesOf(app).filter((route) => (route.method !== 'HEAD' && route.method !== 'OPTIONS') || route.url === '*');

  it('every route is either a member route with a case here or a surface with its reason', () => {
    const unclassified = routes.filter((route) => !surfaceOf(route.url) && !memberCases[`${route.method} ${route.url}`]);
    assert.deepEqual(unclassified, [], 'add a cross-tenant case to memberCases (or, if it has no workspace, a reason to OTHER_SURFACES)');
    const stale = Object.keys(memberCases).filter((key) => !routes.some((route) => `${route.method} ${route.url}` === key));
    assert.deepEqual(stale, [], 'a case for a route the app no longer has');
  });

  it('every member route refuses B\'s ids (403/404, never data) and changes nothing in B', async () => {
    const before = await snapshot(db.pool, b.workspace);
    for (const [route, run] of Object.entries(memberCases)) {
      for (const [res, what] of await run()) refused(res, `${route} (${what})`);
    }
    assert.deepEqual(await snapshot(db.pool, b.workspace), before);
  });

  it('every ops and monitor route refuses a member of a workspace with 403, whatever the id', async () => {
    const before = await snapshot(db.pool, b.workspace);
    const bodies: [RegExp, object][] = [[/tokens\//, { amount: 5, reason: 'cross tenant' }], [/\/payload$/, { payload: { x: 1 } }], [/\/toggle$/, { monitor: true }]];
    const gated = routes.filter((route) => /^\/api\/(ops\/|monitor\/|messages$)/.test(route.url));
    assert.ok(gated.length >= 15, `found ${gated.length} ops and monitor routes`);
    for (const route of gated) {
      const url = route.url.replace(':id', route.url.startsWith('/api/ops/') ? b.workspace : b.thread).replace(':key', 'core_os');
      const body = route.method === 'GET' ? undefined : bodies.find(([pattern]) => pattern.test(url))?.[1] ?? {};
      const res = await as(a, route.method as Method, url, body);
      assert.equal(res.statusCode, 403, `${route.method} ${route.url}: ${res.body}`);
    }
    assert.deepEqual(await snapshot(db.pool, b.workspace), before, 'nothing changed in B');
  });

  it('the same requests with B\'s own member succeed: the refusals above are about tenancy, not broken requests', async () => {
    const own = [
      await as(b, 'GET', `/api/meta/whatsapp/threads?workspaceId=${b.workspace}&q=${b.marker}&tag=vip&status=open`),
      await as(b, 'GET', `/api/meta/whatsapp/threads/${b.thread}/messages`),
      await as(b, 'GET', `/api/meta/whatsapp/saved-views?workspaceId=${b.workspace}`),
      await as(b, 'PATCH', `/api/meta/whatsapp/threads/${b.thread}`, { read: true }),
      await as(b, 'POST', '/api/meta/whatsapp/send-text', { workspaceId: b.workspace, threadId: b.thread, text: 'from B' }),
    ];
    assert.deepEqual(own.map((res) => res.statusCode), [200, 200, 200, 200, 202], own.map((res) => res.body).join('\n'));
    assert.ok(own[0]!.body.includes(b.marker) && own[1]!.body.includes(b.marker) && own[2]!.body.includes(b.marker));
  });
});
