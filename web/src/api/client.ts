import createClient, { type Middleware } from 'openapi-fetch';
import { currentAccessToken } from '../auth/auth-client';
import type { paths } from './schema';

/**
 * Every API call carries the signed-in user's access token (refreshed by the auth client first).
 * Signed out, a call is answered here with the API's own 401 shape instead of being sent.
 */
const bearer: Middleware = {
  async onRequest({ request }) {
    const token = await currentAccessToken();
    if (!token) {
      const body = { error: { code: 'signed_out', message: 'You are signed out: sign in again.' } };
      return new Response(JSON.stringify(body), { status: 401, headers: { 'content-type': 'application/json' } });
    }
    request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
};

/** The typed API client, generated from the server's OpenAPI document (`npm run api:gen`). */
export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(bearer);
