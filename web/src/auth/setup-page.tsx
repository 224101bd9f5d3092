import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { messageOf, unwrap } from '../api/errors';
import { publicApi } from '../api/public-client';
import { Button } from '../ui/button';
import { Field, Input } from '../ui/field';
import { Loading } from '../ui/states';
import { authClient } from './auth-client';
import { AuthCard } from './auth-card';
import { MIN_PASSWORD_LENGTH, passwordProblem } from './password-rules';
import { ErrorAlert } from '../ui/error-alert';

/** The token of a first-run link (`/setup#token=…`); read once, then removed from the address bar. */
function takeToken(): string {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
  if (token) history.replaceState(history.state, '', window.location.pathname);
  return token;
}

/** First run: the person holding the one-time link sets their email and password and becomes a platform admin. */
export function SetupPage() {
  const [token] = useState(takeToken);
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [missing, setMissing] = useState(false);
  const valid = useQuery({
    queryKey: ['setup-link-check', token],
    queryFn: () => unwrap(publicApi.POST('/api/setup/first-run/check', { body: { token } })),
    enabled: token !== '',
    retry: false,
  });
  const complete = useMutation({
    mutationFn: async () => {
      await unwrap(publicApi.POST('/api/setup/first-run', { body: { token, email: email.trim(), password } }));
      const auth = await authClient();
      const { error } = await auth.signInWithPassword({ email: email.trim(), password });
      if (error) throw error;
    },
    onSuccess: () => navigate({ to: '/ops/platform-admin', search: {} }),
  });

  const passwordError = passwordProblem(password);
  const confirmError = confirm && confirm !== password ? 'The passwords do not match' : null;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const incomplete = !email.trim() || !password || !confirm;
    setMissing(incomplete);
    if (!incomplete && !passwordError && !confirmError) complete.mutate();
  };

  if (!token || valid.isError) {
    return (
      <AuthCard title="Set up wabase">
        <p role="alert" className="text-sm text-slate-700">
          {valid.isError ? messageOf(valid.error) : 'This page needs the one-time link that npm start printed.'}
        </p>
        <p className="mt-3 text-sm text-slate-600">Restart wabase to print a new link, or <Link to="/sign-in" search={{}} className="font-medium text-emerald-800 underline">sign in</Link>.</p>
      </AuthCard>
    );
  }
  if (valid.isPending) return <AuthCard title="Set up wabase"><Loading label="Checking the link…" /></AuthCard>;

  return (
    <AuthCard title="Set up wabase">
      <p className="mb-4 text-sm text-slate-600">Choose the email and password of the first platform admin.</p>
      <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
        {complete.isError ? <ErrorAlert>{messageOf(complete.error)}</ErrorAlert> : null}
        {missing && !complete.isError ? <ErrorAlert>Enter an email and the password twice.</ErrorAlert> : null}
        <Field label="Email">
          {(props) => <Input {...props} type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} />}
        </Field>
        <Field label="Password" hint={`At least ${MIN_PASSWORD_LENGTH} characters.`} error={passwordError}>
          {(props) => <Input {...props} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
        <Field label="Confirm password" error={confirmError}>
          {(props) => <Input {...props} type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />}
        </Field>
        <Button type="submit" variant="primary" busy={complete.isPending}>Create admin and sign in</Button>
      </form>
    </AuthCard>
  );
}
