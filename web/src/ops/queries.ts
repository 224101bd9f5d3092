import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import { useInvalidatingMutation } from '../api/invalidating-mutation';

/** Query keys of the ops console, one factory so invalidation matches what the pages read. */
export const opsKeys = {
  all: ['ops'] as const,
  workspaces: (filters: { q: string; page: number }) => [...opsKeys.all, 'workspaces', filters] as const,
  workspace: (id: string) => [...opsKeys.all, 'workspace', id] as const,
  /** Older ledger or audit pages, after the detail's first page (whose cursor is `after`). */
  history: (id: string, kind: 'ledger' | 'audit', after: string) => [...opsKeys.workspace(id), kind, after] as const,
  pricing: (range: { from?: string | undefined; to?: string | undefined }) => [...opsKeys.all, 'pricing', range] as const,
};

export const PAGE_SIZE = 25;

export function workspacesQuery(filters: { q: string; page: number }) {
  return queryOptions({
    queryKey: opsKeys.workspaces(filters),
    queryFn: () =>
      unwrap(api.GET('/api/ops/workspaces', {
        params: { query: { q: filters.q || undefined, limit: PAGE_SIZE, offset: (filters.page - 1) * PAGE_SIZE } },
      })),
    placeholderData: keepPreviousData,
  });
}

export function workspaceQuery(id: string) {
  return queryOptions({
    queryKey: opsKeys.workspace(id),
    queryFn: () => unwrap(api.GET('/api/ops/workspaces/{id}', { params: { path: { id } } })),
  });
}

export type WorkspaceDetail = Awaited<ReturnType<NonNullable<ReturnType<typeof workspaceQuery>['queryFn']>>>;
export type EntitlementRow = WorkspaceDetail['entitlements'][number];

export const useWorkspace = (id: string) => useQuery(workspaceQuery(id));

/** After any change the detail (balance, entitlements, ledger, audit) and the list are read again. */
const useOpsMutation = <TInput, TResult>(fn: (input: TInput) => Promise<TResult>) => useInvalidatingMutation(opsKeys.all, fn);

export interface TokenChange {
  direction: 'grant' | 'deduct';
  amount: number;
  reason: string;
  referenceId: string;
}

export function useTokenChange(workspaceId: string) {
  return useOpsMutation(({ direction, amount, reason, referenceId }: TokenChange) => {
    const body = { amount, reason, referenceId: referenceId.trim() || null };
    const params = { path: { id: workspaceId } };
    return direction === 'grant'
      ? unwrap(api.POST('/api/ops/workspaces/{id}/tokens/grant', { params, body }))
      : unwrap(api.POST('/api/ops/workspaces/{id}/tokens/deduct', { params, body }));
  });
}

export function useEnableEntitlement(workspaceId: string) {
  return useOpsMutation(({ key, payload }: { key: string; payload: Record<string, unknown> }) =>
    unwrap(api.POST('/api/ops/workspaces/{id}/entitlements/{key}/enable', { params: { path: { id: workspaceId, key } }, body: { payload } })));
}

export function useDisableEntitlement(workspaceId: string) {
  return useOpsMutation(({ key, reason }: { key: string; reason: string }) =>
    unwrap(api.POST('/api/ops/workspaces/{id}/entitlements/{key}/disable', {
      params: { path: { id: workspaceId, key } },
      body: { reason: reason.trim() || null },
    })));
}

export function useSetPayload(workspaceId: string) {
  return useOpsMutation(({ key, payload }: { key: string; payload: Record<string, unknown> }) =>
    unwrap(api.PUT('/api/ops/workspaces/{id}/entitlements/{key}/payload', { params: { path: { id: workspaceId, key } }, body: { payload } })));
}
