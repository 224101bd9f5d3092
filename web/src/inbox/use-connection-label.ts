import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { connectionName, connectionsQuery } from '../connections/queries';

/** How a thread's number is shown: the connection's display number, else Meta's phone number id. */
export function useConnectionLabel(workspaceId: string) {
  const connections = useQuery(connectionsQuery(workspaceId));
  const list = connections.data?.connections;
  return useCallback((thread: { connectionId: string | null; phoneNumberId: string }) => {
    const connection = list?.find((c) => c.id === thread.connectionId) ?? list?.find((c) => c.phoneNumberId === thread.phoneNumberId);
    return connection ? connectionName(connection) : thread.phoneNumberId;
  }, [list]);
}
