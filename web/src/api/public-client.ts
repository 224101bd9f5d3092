import createClient from 'openapi-fetch';
import type { paths } from './schema';

/** The typed API client without credentials, for the few public routes read before sign-in. */
export const publicApi = createClient<paths>({ baseUrl: window.location.origin });
