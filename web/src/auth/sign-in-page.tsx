import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { messageOf } from '../api/errors';
import { Button } from '../ui/button';
import { Field, Input } from '../ui/field';
import { authClient, authSettings } from './auth-client';
import { AuthCard } from './auth-card';
import { safeRedirect } from './redirect';
import { signInErrorMessage } from './sign-in-errors';
import { ErrorAlert } from '../ui/error-alert';

/** Email and password sign-in, and Google when the deployment offers it. */
export function SignInPage() {
  const search = useSearch({ from: '/sign-in' });
  const navigate = useNavigate();
  const settings = useQuery({ queryKey: ['auth-settings'], queryFn: authSettings, staleTime: Infinity });
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(signInErrorMessage(search.error_code));
  const target = safeRedirect(search.redirect);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!email.trim() || !password) {
      setError('Enter your email and password.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const auth = await authClient();
      const { error: failed } = await auth.signInWithPassword({ email: email.trim(), password });
      if (failed) {
        setError(failed.message);
        return;
      }
      await navigate({ href: target });
    } catch (thrown) {
      setError(messageOf(thrown));
    } finally {
      setBusy(false);
    }
  };

  const onGoogle = async () => {
    setError(null);
    const auth = await authClient();
    const { error: failed } = await auth.signInWithOAuth({ provider: 'google', options: { redirectTo: `${window.location.origin}${target}` } });
    if (failed) setError(failed.message);
  };

  return (
    <AuthCard title="Sign in to wabase">
      <form onSubmit={(event) => void onSubmit(event)} className="flex flex-col gap-4" noValidate>
        {error ? <ErrorAlert>{error}</ErrorAlert> : null}
        <Field label="Email">
          {(props) => <Input {...props} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />}
        </Field>
        <Field label="Password">
          {(props) => <Input {...props} type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
        <Button type="submit" variant="primary" busy={busy}>Sign in</Button>
      </form>
      {settings.data?.google ? (
        <>
          <div className="my-4 flex items-center gap-3 text-xs text-slate-500" aria-hidden>
            <span className="h-px flex-1 bg-slate-200" />or<span className="h-px flex-1 bg-slate-200" />
          </div>
          <Button className="w-full" onClick={() => void onGoogle()}>Sign in with Google</Button>
        </>
      ) : null}
    </AuthCard>
  );
}
