import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { ApiError, tryAgainIn, unwrap } from '../api/errors';
import { useInvalidatingMutation } from '../api/invalidating-mutation';
import { type BlocklistKind, type GroupsPage, monitorKeys } from './queries';

/** "try again in N s" for a 429, else the API's message. */
export function retryMessage(error: unknown): string {
  if (error instanceof ApiError && error.status === 429) return `Already requested: ${tryAgainIn(error)}`;
  return error instanceof Error ? error.message : 'Something went wrong';
}

export function useWorkerRequest(path: '/api/monitor/wa/refresh-qr' | '/api/monitor/wa/disconnect' | '/api/monitor/fetch-groups-now') {
  return useInvalidatingMutation(monitorKeys.all, () => unwrap(api.POST(path)));
}

/**
 * The Monitor switch: the row flips at once in every cached page, and flips back (the caller shows
 * the API's message) when the API refuses.
 */
export function useToggleGroup() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, monitor }: { id: string; monitor: boolean }) => unwrap(api.POST('/api/monitor/groups/{id}/toggle', { params: { path: { id } }, body: { monitor } })),
    onMutate: async ({ id, monitor }) => {
      await client.cancelQueries({ queryKey: monitorKeys.groupLists() });
      const before = client.getQueriesData<GroupsPage>({ queryKey: monitorKeys.groupLists() });
      client.setQueriesData<GroupsPage>({ queryKey: monitorKeys.groupLists() }, (page) =>
        page && { ...page, items: page.items.map((g) => (g.id === id ? { ...g, monitor } : g)) });
      return { before };
    },
    onError: (_error, _vars, context) => {
      for (const [key, data] of context?.before ?? []) client.setQueryData(key, data);
    },
    onSettled: () => client.invalidateQueries({ queryKey: monitorKeys.all }),
  });
}

export function useBlocklistChange(kind: BlocklistKind) {
  const add = useInvalidatingMutation(monitorKeys.all, (body: { value: string; reason?: string }) => unwrap(api.POST(`/api/monitor/blocklists/${kind}`, { body })));
  const remove = useInvalidatingMutation(monitorKeys.all, (value: string) =>
    unwrap(api.DELETE(`/api/monitor/blocklists/${kind}/{value}`, { params: { path: { value } } })));
  return { add, remove };
}
