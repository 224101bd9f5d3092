import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { encryptionKey } from '../../hub/crypto.js';
import { PHONE_NUMBER_ID } from '../../hub/setup.js';
import { exchangeFromCallback } from '../../hub/signup/callback.js';
import { completeSignup, type SignupDeps } from '../../hub/signup/complete.js';
import { startSignup } from '../../hub/signup/start.js';
import { InputError } from '../../errors.js';
import type { AppContext } from '../context.js';
import { authenticator, currentUser } from '../plugins/auth.js';
import { signupCompleted, signupSettings, signupStarted, signupStepError } from '../responses/connections.js';
import { bearerSecurity, errorResponses } from '../schemas.js';
import { sameOriginPath } from './auth-google.js';

const metaId = (field: string) => z.string().trim().regex(PHONE_NUMBER_ID, `${field} must be the numeric id Meta shows (5 to 32 digits)`);

/**
 * Meta Embedded Signup ("Connect with Facebook"): public settings for the JS SDK, start (a state
 * bound to the owner or admin and the workspace), complete (the server's steps, resumable), and
 * META_OAUTH_REDIRECT_URI for a redirect flow.
 */
export function signupRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const meta = ctx.config.meta;
  // The allowlist is read per request: it may change without a restart.
  const deps = (): SignupDeps => ({
    allowlist: ctx.config.opsAdminEmails,
    key: () => encryptionKey(ctx.config),
    graph: { baseUrl: meta.graphBaseUrl, version: meta.graphVersion },
    app: meta.signup ? { appId: meta.signup.appId, appSecret: meta.signup.appSecret } : null,
  });
  const base = (request: FastifyRequest) => ctx.config.publicBaseUrl ?? `${request.protocol}://${request.host}`;
  const absolute = /^https?:\/\//.test(meta.oauthRedirectUri);
  const redirectUri = (request: FastifyRequest) => (absolute ? meta.oauthRedirectUri : `${base(request)}${meta.oauthRedirectUri}`);
  const common = { onRequest: authenticator(ctx.jwtKey) };
  const tags = ['meta hub'];
  const errors = errorResponses(401, 403, 404, 409, 500, 503);
  return async (app) => {
    app.get('/api/meta/whatsapp/signup/settings', {
      schema: { tags, summary: 'Whether Connect with Facebook is offered, and what the JS SDK needs (no auth, no secrets)', response: { 200: signupSettings } },
    }, async (request) => ({
      enabled: meta.signup !== null,
      appId: meta.signup?.appId ?? null,
      configId: meta.signup?.configId ?? null,
      graphVersion: meta.graphVersion,
      redirectUri: meta.signup ? redirectUri(request) : null,
    }));

    app.post('/api/meta/whatsapp/signup/start', {
      ...common,
      schema: {
        tags,
        summary: 'Begin Connect with Facebook for a workspace: a state valid 10 minutes, bound to you and the workspace (owners and admins)',
        security: bearerSecurity,
        body: z.object({ workspaceId: z.uuid(), returnTo: z.string().max(2000).optional().describe('Same-origin path the redirect flow returns to') }),
        response: { 201: signupStarted, ...errors, ...errorResponses(400, 413, 415, 429) },
      },
    }, async (request, reply) => {
      const returnTo = request.body.returnTo === undefined ? null : sameOriginPath(request.body.returnTo, new URL(base(request)).origin);
      if (returnTo === null && request.body.returnTo !== undefined) throw new InputError('body.returnTo: must be a path of this site');
      return reply.status(201).send(await startSignup(ctx.pool, deps(), currentUser(request), { workspaceId: request.body.workspaceId, returnTo }));
    });

    app.post('/api/meta/whatsapp/signup/complete', {
      ...common,
      schema: {
        tags,
        summary: 'Finish Connect with Facebook: exchange the code, subscribe the app, register the number, read it, store it; a retry resumes at the failed step',
        security: bearerSecurity,
        body: z.object({
          state: z.string().trim().min(16, 'state must be the state …/signup/start returned').max(200, 'state must be the state …/signup/start returned'),
          code: z.string().trim().min(1, 'code must not be empty').max(4096, 'code must be at most 4096 characters').optional()
            .describe('From FB.login; required until it has been exchanged, ignored after'),
          wabaId: metaId('wabaId'),
          phoneNumberId: metaId('phoneNumberId'),
          pin: z.string().regex(/^\d{6}$/, 'pin must be 6 digits').optional().describe('The two-step verification PIN to set; required until the number is registered'),
        }),
        response: { 200: signupCompleted, ...errors, ...errorResponses(400, 413, 415), 422: signupStepError, 502: signupStepError },
      },
    }, async (request) => completeSignup(ctx.pool, deps(), currentUser(request), request.body));

    // Hidden: a browser navigation, not an API call. `warn` keeps Fastify from logging its URL (code and state).
    const callbackPath = absolute ? new URL(meta.oauthRedirectUri).pathname : meta.oauthRedirectUri;
    app.get(callbackPath, { schema: { hide: true }, logLevel: 'warn' }, async (request, reply) => {
      const params = new URLSearchParams(request.url.split('?')[1] ?? '');
      let outcome;
      try {
        outcome = await exchangeFromCallback(ctx.pool, deps(), { state: params.get('state'), code: params.get('code'), error: params.get('error') }, redirectUri(request));
      } catch (error) {
        request.log.error({ err: error }, 'Embedded Signup callback failed');
        outcome = { returnTo: '/', signup: 'failed', error: 'server_error' };
      }
      const target = new URL(outcome.returnTo, 'http://wabase.invalid');
      target.searchParams.set('signup', outcome.signup);
      if (outcome.error) target.searchParams.set('signupError', outcome.error);
      return reply.redirect(`${target.pathname}${target.search}${target.hash}`, 303);
    });
  };
}
