import { queryOptions } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import { inboxKeys } from '../inbox/queries';
import type { QueryData } from '../api/query-data';

/** Under the workspace's inbox keys: a write or a realtime event there re-reads numbers too. */
export const connectionKeys = {
  list: (workspaceId: string) => [...inboxKeys.workspace(workspaceId), 'connections'] as const,
  signupSettings: () => ['signup-settings'] as const,
};

export const connectionsQuery = (workspaceId: string) =>
  queryOptions({
    queryKey: connectionKeys.list(workspaceId),
    queryFn: () => unwrap(api.GET('/api/meta/whatsapp/connections', { params: { query: { workspaceId } } })),
    staleTime: 30_000,
  });

/** Public and the same for everyone: whether Connect with Facebook is offered, and the SDK's ids. */
export const signupSettingsQuery = () =>
  queryOptions({
    queryKey: connectionKeys.signupSettings(),
    queryFn: () => unwrap(api.GET('/api/meta/whatsapp/signup/settings')),
    staleTime: Infinity,
  });

export type Connection = QueryData<typeof connectionsQuery>['connections'][number];
export type SignupSettings = QueryData<typeof signupSettingsQuery>;

/** A number's name for people: its display number, else Meta's id. */
export const connectionName = (c: Pick<Connection, 'displayPhoneNumber' | 'phoneNumberId'>) => c.displayPhoneNumber ?? c.phoneNumberId;
