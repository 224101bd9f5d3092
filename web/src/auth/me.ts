import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import { useAuth } from './session';

/** Query keys of the signed-in user. */
export const meKeys = {
  all: ['me'] as const,
};

/** Who the server says the caller is, and whether they may use the ops console. */
export const meQuery = queryOptions({
  queryKey: meKeys.all,
  queryFn: () => unwrap(api.GET('/api/me')),
  staleTime: 60_000,
});

/** Asked only while signed in, so a sign-out never sends a request that must fail. */
export function useMe() {
  const { state } = useAuth();
  return useQuery({ ...meQuery, enabled: state.status === 'signed-in' });
}
