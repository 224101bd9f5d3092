import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { gotrueErrors } from '../../auth/gotrue-errors.js';
import { type Issuer, sessionResponse, signIn } from '../../auth/issue.js';
import { takeLoginAttempt } from '../../auth/login-limit.js';
import { hashPassword, passwordProblem, verifyPassword } from '../../auth/passwords.js';
import { revokeSessions, rotateRefreshToken } from '../../auth/sessions.js';
import { findUserByEmail, findUserById, gotrueUser, setPasswordHash, setUserMetadata } from '../../auth/users.js';
import { withTransaction } from '../../db/tx.js';
import type { AppContext } from '../context.js';
import { bearerSession, requireApiKey, useGoTrueShape } from '../plugins/gotrue.js';

/** These routes are GoTrue's API, not wabase's: no OpenAPI entry. Bodies are small. */
const routeOptions = { schema: { hide: true }, bodyLimit: 64 * 1024 } as const;

// Lengths bound what reaches the database (an 8 kB email overflowed the rate-limit key's index).
const passwordGrant = z.object({ email: z.string().max(320, 'email is too long').optional(), phone: z.string().max(32).optional(), password: z.unknown().optional() });
const refreshGrant = z.object({ refresh_token: z.unknown().optional() });
const userUpdate = z.object({
  email: z.string().optional(),
  phone: z.string().optional(),
  password: z.unknown().optional(),
  data: z.record(z.string(), z.unknown()).nullable().optional(),
});
const scopes = ['global', 'local', 'others'] as const;

/** True when a string anywhere in the value holds U+0000, which PostgreSQL text and jsonb cannot store. */
function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 32 || value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, item]) => key.includes('\u0000') || holdsNul(item, depth + 1));
}

/** zod on a body, answering GoTrue's 400 validation_failed (or bad_json for a non-object). */
function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw gotrueErrors.badJson();
  if (holdsNul(body)) throw gotrueErrors.validation('Text cannot contain the character U+0000');
  const result = schema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw gotrueErrors.validation(`${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid value'}`);
  }
  return result.data;
}

function clientInfo(request: FastifyRequest) {
  const agent = request.headers['user-agent'];
  return { userAgent: typeof agent === 'string' ? agent : null, ip: request.ip ?? null };
}

/** A new password, checked as GoTrue checks it (422 weak_password). */
function checkNewPassword(password: unknown): string {
  if (typeof password !== 'string') throw gotrueErrors.validation('password must be a string');
  const problem = passwordProblem(password);
  if (problem === 'too_short') throw gotrueErrors.weakPassword();
  if (problem === 'too_long') throw gotrueErrors.passwordTooLong();
  return password;
}

/** The subset of GoTrue's REST API that `@supabase/auth-js` uses for email + password sessions. */
export async function gotrueRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  useGoTrueShape(app);
  const issuer: Issuer = { jwtKey: ctx.jwtKey, ttlSeconds: ctx.config.auth.accessTokenTtlSeconds };
  const apiKey = requireApiKey(ctx);

  app.post('/auth/v1/token', { ...routeOptions, onRequest: apiKey }, async (request) => {
    const grant = (request.query as Record<string, unknown>).grant_type;
    if (grant === 'password') {
      const body = parseBody(passwordGrant, request.body);
      const email = body.email?.trim() ?? '';
      if (!email) throw gotrueErrors.validation(body.phone ? 'Phone sign-in is not enabled on this server' : 'missing email or phone');
      const password = typeof body.password === 'string' ? body.password : '';
      const forgive = await takeLoginAttempt(ctx.pool, ctx.config.auth, email, request.ip);
      const user = await findUserByEmail(ctx.pool, email);
      // Unknown email and wrong password: the same error after the same bcrypt work.
      if (!(await verifyPassword(password, user?.encrypted_password)) || !user) throw gotrueErrors.invalidCredentials();
      await forgive();
      if (!user.email_confirmed_at) throw gotrueErrors.emailNotConfirmed();
      return signIn(ctx.pool, issuer, user.id, 'email', clientInfo(request));
    }
    if (grant === 'refresh_token') {
      const body = parseBody(refreshGrant, request.body);
      if (typeof body.refresh_token !== 'string' || body.refresh_token === '') throw gotrueErrors.validation('refresh_token required');
      const rotated = await rotateRefreshToken(ctx.pool, body.refresh_token);
      if (rotated.kind === 'reused') {
        request.log.warn('a used refresh token was presented again; its session is revoked');
        throw gotrueErrors.refreshTokenAlreadyUsed();
      }
      if (rotated.kind === 'not_found') throw gotrueErrors.refreshTokenNotFound();
      const user = await findUserById(ctx.pool, rotated.userId);
      if (!user) throw gotrueErrors.refreshTokenNotFound();
      return sessionResponse(issuer, user, rotated.sessionId, rotated.refreshToken);
    }
    throw gotrueErrors.unsupportedGrant();
  });

  app.post('/auth/v1/logout', { ...routeOptions, onRequest: apiKey }, async (request, reply) => {
    const given = (request.query as Record<string, unknown>).scope ?? 'global';
    const scope = scopes.find((candidate) => candidate === given);
    if (!scope) throw gotrueErrors.validation(`Unsupported logout scope ${JSON.stringify(given)}`);
    const caller = await bearerSession(ctx, request);
    await revokeSessions(ctx.pool, caller.user.id, caller.sessionId, scope);
    return reply.status(204).send();
  });

  app.get('/auth/v1/user', { ...routeOptions, onRequest: apiKey }, async (request) => {
    const caller = await bearerSession(ctx, request);
    return gotrueUser(caller.user);
  });

  app.put('/auth/v1/user', { ...routeOptions, onRequest: apiKey }, async (request) => {
    const caller = await bearerSession(ctx, request);
    const body = parseBody(userUpdate, request.body);
    if (body.email !== undefined && body.email.trim().toLowerCase() !== (caller.user.email ?? '').toLowerCase())
      throw gotrueErrors.emailChangeUnsupported();
    if (body.phone) throw gotrueErrors.validation('Phone numbers are not supported on this server');
    let newHash: string | null = null;
    if (body.password !== undefined && body.password !== null) {
      const password = checkNewPassword(body.password);
      if (await verifyPassword(password, caller.user.encrypted_password)) throw gotrueErrors.samePassword();
      newHash = await hashPassword(password);
    }
    await withTransaction(ctx.pool, async (db) => {
      const locked = await db.query<{ meta: Record<string, unknown> | null }>(
        'select raw_user_meta_data as meta from auth.users where id = $1 for update',
        [caller.user.id],
      );
      if (body.data) {
        // GoTrue merges: keys are set, a null value removes its key. A Map, so no key is special.
        const merged = new Map(Object.entries(locked.rows[0]?.meta ?? {}));
        for (const [key, value] of Object.entries(body.data)) {
          if (value === null) merged.delete(key);
          else merged.set(key, value);
        }
        await setUserMetadata(db, caller.user.id, Object.fromEntries(merged));
      }
      if (newHash) await setPasswordHash(db, caller.user.id, newHash);
    });
    // As GoTrue does: a new password signs out every other session of the user.
    if (newHash) await revokeSessions(ctx.pool, caller.user.id, caller.sessionId, caller.sessionId ? 'others' : 'global');
    const user = await findUserById(ctx.pool, caller.user.id);
    if (!user) throw gotrueErrors.userNotFound();
    return gotrueUser(user);
  });
}
