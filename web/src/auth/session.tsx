import type { Session } from '@supabase/auth-js';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import { authClient } from './auth-client';

export type AuthState =
  | { status: 'loading' } |
  { status: 'signed-out' } |
  { status: 'signed-in'; session: Session };

interface AuthContextValue {
  state: AuthState;
  signOut: () => Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

/** The session as the auth client knows it; every screen reads it from here. */
export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}

/**
 * The signed-in session, or null in the moment between a sign-out and the guard sending the
 * person to /sign-in (screens behind the guard render nothing then).
 */
export function useSession(): Session | null {
  const { state } = useAuth();
  return state.status === 'signed-in' ? state.session : null;
}

export function AuthProvider({ children, onChange }: { children: ReactNode; onChange: () => void }) {
  const [state, setState] = useState<AuthState>({ status: 'loading' });
  const queryClient = useQueryClient();

  useEffect(() => {
    let unsubscribe = () => {};
    let live = true;
    void authClient().then(async (auth) => {
      const { data } = await auth.getSession();
      if (!live) return;
      setState(data.session ? { status: 'signed-in', session: data.session } : { status: 'signed-out' });
      let userId = data.session?.user.id ?? null;
      const subscription = auth.onAuthStateChange((event, session) => {
        setState(session ? { status: 'signed-in', session } : { status: 'signed-out' });
        onChange();
        // The next person on this browser must not see the last one's cached data: on a real
        // sign-out or a different user (INITIAL_SESSION without a session would drop queries pages
        // are waiting on), and after the signed-in screens have unmounted.
        const next = session?.user.id ?? null;
        if (event === 'SIGNED_OUT' || (next !== null && next !== userId)) setTimeout(() => queryClient.clear(), 0);
        userId = next;
      });
      unsubscribe = () => subscription.data.subscription.unsubscribe();
    }, () => live && setState({ status: 'signed-out' }));
    return () => {
      live = false;
      unsubscribe();
    };
  }, [queryClient, onChange]);

  const value = useMemo<AuthContextValue>(() => ({
    state,
    async signOut() {
      const auth = await authClient();
      // Revokes the session on the server, then forgets it here. auth-js reports a failure as a
      // value: a person who believes they signed out on a shared computer must be told.
      const { error } = await auth.signOut({ scope: 'local' });
      if (error) throw error;
    },
  }), [state]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
