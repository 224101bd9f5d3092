import { useCallback } from 'react';

/**
 * How a thread's number is shown. Until the connections list is read, the Meta phone number id.
 */
export function useConnectionLabel(_workspaceId: string) {
  return useCallback((thread: { connectionId: string | null; phoneNumberId: string }) => thread.phoneNumberId, []);
}
