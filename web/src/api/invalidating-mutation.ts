import { type QueryKey, useMutation, useQueryClient } from '@tanstack/react-query';

/**
 * A mutation that re-reads every query under `queryKey` once it settles (success or failure): the
 * server re-applies filters and sort, so pages never patch cached lists by hand. `mutationKey`
 * lets a page find the mutation in flight (the inbox shows a message being sent).
 */
export function useInvalidatingMutation<TInput, TResult>(queryKey: QueryKey, fn: (input: TInput) => Promise<TResult>, mutationKey?: QueryKey) {
  const queryClient = useQueryClient();
  return useMutation({ ...(mutationKey ? { mutationKey } : {}), mutationFn: fn, onSettled: () => queryClient.invalidateQueries({ queryKey }) });
}
