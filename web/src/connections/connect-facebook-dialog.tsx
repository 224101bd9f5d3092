import { type FormEvent, useState } from 'react';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { ErrorAlert } from '../ui/error-alert';
import { Field, Input } from '../ui/field';
import type { FacebookSdk } from './facebook-sdk';
import type { SignupSettings } from './queries';
import { useEmbeddedSignup } from './use-embedded-signup';

const STEP_NAMES: Record<string, string> = {
  exchange: 'Signing in to Meta',
  subscribe: 'Subscribing wabase to the WhatsApp Business Account',
  register: 'Registering the number',
  details: 'Reading the number from Meta',
};

interface ConnectFacebookDialogProps {
  workspaceId: string;
  settings: SignupSettings;
  sdk: FacebookSdk | null;
  onClose: () => void;
  onConnected: (number: string) => void;
}

/** Mounted while open: a fresh signup attempt each time. */
export function ConnectFacebookDialog({ workspaceId, settings, sdk, onClose, onConnected }: ConnectFacebookDialogProps) {
  const [pin, setPin] = useState('');
  const [touched, setTouched] = useState(false);
  const signup = useEmbeddedSignup(workspaceId, settings, sdk, onConnected);
  const pinError = touched && !/^\d{6}$/.test(pin) ? 'Enter 6 digits' : null;
  const busy = signup.phase === 'preparing' || signup.phase === 'in-facebook' || signup.phase === 'finishing';

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!/^\d{6}$/.test(pin)) return;
    // Meta's window opens in this click handler, before anything is awaited.
    if (signup.failure?.next === 'resume') signup.retry(pin);
    else signup.openFacebook(pin);
  };

  const failure = signup.failure;
  const restart = failure?.next === 'restart';
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title="Connect with Facebook" description="Meta's window lets you pick or create the WhatsApp Business Account and number; wabase then registers the number and stores its token encrypted.">
      <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
        {failure ? (
          <ErrorAlert>
            {failure.step ? <strong className="block">{STEP_NAMES[failure.step] ?? failure.step} failed</strong> : null}
            <span className="block">{failure.message}</span>
            {failure.hint ? <span className="mt-1 block">{failure.hint}</span> : null}
          </ErrorAlert>
        ) : null}
        <Field label="Two-step verification PIN" error={pinError} hint="6 digits. WhatsApp asks for it when the number is registered again; keep it somewhere safe.">
          {(props) => (
            <Input {...props} inputMode="numeric" autoComplete="off" maxLength={6} value={pin} onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))} />
          )}
        </Field>
        <p role="status" className="text-sm text-slate-600">
          {signup.phase === 'preparing' ? 'Preparing…' : signup.phase === 'in-facebook' ? 'Finish in the Facebook window…' : signup.phase === 'finishing' ? 'Connecting the number with Meta…' : !sdk ? 'Loading Facebook…' : ''}
        </p>
        <div className="flex flex-wrap justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          {failure && !restart ? <Button onClick={signup.startOver}>Start over</Button> : null}
          {restart ? <Button variant="primary" onClick={signup.startOver}>Start over</Button> : (
            <Button type="submit" variant="primary" busy={busy} disabled={!sdk || signup.phase === 'done'}>
              {failure?.next === 'resume' ? 'Try again' : 'Continue with Facebook'}
            </Button>
          )}
        </div>
      </form>
    </Dialog>
  );
}
