import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode, useCallback, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError } from './api/errors';
import { authClient } from './auth/auth-client';
import { AuthProvider } from './auth/session';
import { createAppRouter } from './router';
import './styles.css';
import { ToastProvider } from './ui/toast';

/**
 * A 401 in the middle of a session (it was revoked: a sign-out elsewhere, a password change, a
 * stolen refresh token) ends it here too; the route guard then sends the person to sign in again.
 */
function onApiError(error: unknown): void {
  if (error instanceof ApiError && error.status === 401 && error.code !== 'signed_out') {
    void authClient().then((auth) => auth.signOut({ scope: 'local' }));
  }
}

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onApiError }),
  mutationCache: new MutationCache({ onError: onApiError }),
  defaultOptions: {
    // A 4xx will not change by asking again; network and 5xx errors get two more tries.
    queries: { retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500), staleTime: 5_000 },
  },
});

function App() {
  const [router] = useState(() => createAppRouter(queryClient));
  // A sign-in or sign-out elsewhere (another tab, a refresh that failed) re-runs the route guards.
  const onAuthChange = useCallback(() => void router.invalidate(), [router]);
  return (
    <AuthProvider onChange={onAuthChange}>
      <RouterProvider router={router} />
    </AuthProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <App />
      </ToastProvider>
    </QueryClientProvider>
  </StrictMode>,
);
