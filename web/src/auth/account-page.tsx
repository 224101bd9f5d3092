import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { messageOf } from '../api/errors';
import { Button } from '../ui/button';
import { Field, Input } from '../ui/field';
import { useToast } from '../ui/toast';
import { authClient } from './auth-client';
import { MIN_PASSWORD_LENGTH, passwordProblem } from './password-rules';
import { useSession } from './session';

/** The signed-in user's account: who they are and a new password. */
export function AccountPage() {
  const session = useSession();
  const toast = useToast();
  const [password, setPassword] = useState('');
  const change = useMutation({
    mutationFn: async () => {
      const auth = await authClient();
      const { error } = await auth.updateUser({ password });
      if (error) throw error;
    },
    onSuccess: () => {
      setPassword('');
      toast({ title: 'Password changed' });
    },
  });
  const problem = passwordProblem(password);
  if (!session) return null;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!problem) change.mutate();
  };
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-2xl font-semibold">Account</h1>
      <p className="mt-1 text-sm text-slate-600">Signed in as <span className="font-medium text-slate-800">{session.user.email}</span></p>
      <form onSubmit={onSubmit} className="mt-6 flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-4" noValidate>
        <h2 className="font-medium">Change password</h2>
        <Field label="New password" hint={`At least ${MIN_PASSWORD_LENGTH} characters.`} error={problem ?? (change.isError ? messageOf(change.error) : null)}>
          {(props) => <Input {...props} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
        <Button type="submit" variant="primary" busy={change.isPending} disabled={!password} className="self-start">Change password</Button>
      </form>
    </div>
  );
}
