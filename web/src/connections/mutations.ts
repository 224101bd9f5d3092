import { useMutation } from '@tanstack/react-query';
import { api } from '../api/client';
import { unwrap } from '../api/errors';
import { useInvalidatingMutation } from '../api/invalidating-mutation';
import { connectionKeys } from './queries';

export interface ManualConnection {
  phoneNumberId: string;
  wabaId: string;
  accessToken: string;
  displayPhoneNumber?: string;
  displayName?: string;
}

/** A change to numbers re-reads the list (the inbox's labels read the same query). */
const useConnectionsMutation = <TInput, TResult>(workspaceId: string, fn: (input: TInput) => Promise<TResult>) =>
  useInvalidatingMutation(connectionKeys.list(workspaceId), fn);

export function useAddConnection(workspaceId: string) {
  return useConnectionsMutation(workspaceId, (input: ManualConnection) =>
    unwrap(api.POST('/api/meta/whatsapp/connections', { body: { workspaceId, ...input } })));
}

export function useUpdateConnection(workspaceId: string) {
  return useConnectionsMutation(workspaceId, ({ id, ...patch }: { id: string; status?: 'active' | 'inactive'; accessToken?: string }) =>
    unwrap(api.PATCH('/api/meta/whatsapp/connections/{id}', { params: { path: { id } }, body: patch })));
}

/** Reads the number from Graph with its stored token; the result says ok or Meta's error. */
export function useTestConnection(workspaceId: string) {
  return useConnectionsMutation(workspaceId, (id: string) =>
    unwrap(api.POST('/api/meta/whatsapp/connections/{id}/test', { params: { path: { id } } })));
}

export function useStartSignup(workspaceId: string) {
  return useMutation({ mutationFn: () => unwrap(api.POST('/api/meta/whatsapp/signup/start', { body: { workspaceId } })) });
}

export interface SignupCompletion {
  state: string;
  code?: string;
  wabaId: string;
  phoneNumberId: string;
  pin?: string;
}

export function useCompleteSignup(workspaceId: string) {
  return useConnectionsMutation(workspaceId, (input: SignupCompletion) =>
    unwrap(api.POST('/api/meta/whatsapp/signup/complete', { body: input })));
}
