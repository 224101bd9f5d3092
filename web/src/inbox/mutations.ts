import { api } from '../api/client';
import { unwrap } from '../api/errors';
import { useInvalidatingMutation } from '../api/invalidating-mutation';
import { inboxKeys } from './queries';
import type { InboxFilters } from './search';
import type { paths } from '../api/schema';

type ViewFilters = NonNullable<paths['/api/meta/whatsapp/saved-views']['post']['requestBody']>['content']['application/json']['filters'];

/** Every write re-reads the workspace's inbox queries; the server re-applies filter and sort. */
const useInboxMutation = <TInput, TResult>(workspaceId: string, mutationKey: readonly unknown[], fn: (input: TInput) => Promise<TResult>) =>
  useInvalidatingMutation(inboxKeys.workspace(workspaceId), fn, mutationKey);

export const sendKey = (threadId: string) => ['inbox', 'send', threadId] as const;

/** `idempotencyKey` is one per composed message: a double click or a retry sends it once. */
export function useSendText(workspaceId: string, threadId: string) {
  return useInboxMutation(workspaceId, sendKey(threadId), (input: { text: string; idempotencyKey: string; replyTo?: string }) =>
    unwrap(api.POST('/api/meta/whatsapp/send-text', { body: { workspaceId, threadId, ...input } })));
}

export type TemplateSend = NonNullable<paths['/api/meta/whatsapp/send-template']['post']['requestBody']>['content']['application/json'];

export function useSendTemplate(workspaceId: string, threadId: string) {
  return useInboxMutation(workspaceId, ['inbox', 'send-template', threadId], (input: Omit<TemplateSend, 'workspaceId' | 'threadId'>) =>
    unwrap(api.POST('/api/meta/whatsapp/send-template', { body: { workspaceId, threadId, ...input } })));
}

/** An empty emoji removes the business's reaction. */
export function useSendReaction(workspaceId: string, threadId: string) {
  return useInboxMutation(workspaceId, ['inbox', 'send-reaction', threadId], (input: { messageId: string; emoji: string }) =>
    unwrap(api.POST('/api/meta/whatsapp/send-reaction', { body: { workspaceId, threadId, ...input } })));
}

export interface ThreadChange {
  status?: 'open' | 'pending' | 'closed';
  assignedTo?: string | null;
  tags?: string[];
  read?: true;
}

export function useUpdateThread(workspaceId: string) {
  return useInboxMutation(workspaceId, ['inbox', 'thread-update'], ({ id, ...patch }: ThreadChange & { id: string }) =>
    unwrap(api.PATCH('/api/meta/whatsapp/threads/{id}', { params: { path: { id } }, body: patch })));
}

export function useCreateView(workspaceId: string) {
  return useInboxMutation(workspaceId, ['inbox', 'view-create'], (input: { name: string; filters: InboxFilters }) =>
    unwrap(api.POST('/api/meta/whatsapp/saved-views', {
      body: { workspaceId, name: input.name, filters: input.filters as ViewFilters },
    })));
}

export function useDeleteView(workspaceId: string) {
  return useInboxMutation(workspaceId, ['inbox', 'view-delete'], (viewId: string) =>
    unwrap(api.DELETE('/api/meta/whatsapp/saved-views', { body: { workspaceId, viewId } })));
}

export const sendMediaKey = (threadId: string) => ['inbox', 'send-media', threadId] as const;

/** A file with an optional caption, as multipart/form-data; one idempotency key per composed message, as for text. */
export function useSendMedia(workspaceId: string, threadId: string) {
  return useInboxMutation(workspaceId, sendMediaKey(threadId), (input: { file: File; caption: string; idempotencyKey: string; replyTo?: string }) => {
    const form = new FormData();
    form.set('workspaceId', workspaceId);
    form.set('threadId', threadId);
    form.set('idempotencyKey', input.idempotencyKey);
    if (input.caption) form.set('caption', input.caption);
    if (input.replyTo) form.set('replyTo', input.replyTo);
    form.set('file', input.file, input.file.name);
    type Body = NonNullable<paths['/api/meta/whatsapp/send-media']['post']['requestBody']>['content']['multipart/form-data'];
    // The browser sets the multipart boundary itself: the form goes as it is.
    return unwrap(api.POST('/api/meta/whatsapp/send-media', { body: form as unknown as Body, bodySerializer: (body) => body as unknown as FormData }));
  });
}
