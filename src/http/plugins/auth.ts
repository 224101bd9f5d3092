import type { FastifyReply, FastifyRequest } from 'fastify';
import { verifyAccessToken } from '../../auth/jwt.js';
import type { UserClaims } from '../../db/with-user.js';
import { UnauthorizedError } from '../../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Verified claims of the caller; set by `authenticate`. */
    user: UserClaims | null;
  }
}

/** An onRequest hook (so it runs before the body is parsed) that requires `Authorization: Bearer <JWT>` and sets `request.user`. */
export function authenticator(key: Uint8Array) {
  return async function authenticate(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match)
      throw new UnauthorizedError(
        'Missing bearer token: send Authorization: Bearer <access token>',
        'missing_token',
      );
    request.user = await verifyAccessToken(match[1]!, key);
  };
}

/** The caller's claims in a route behind `authenticate`. */
export function currentUser(request: FastifyRequest): UserClaims {
  if (!request.user) throw new UnauthorizedError();
  return request.user;
}
