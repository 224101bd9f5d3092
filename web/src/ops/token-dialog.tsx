import { type FormEvent, useState } from 'react';
import { messageOf } from '../api/errors';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { ErrorAlert } from '../ui/error-alert';
import { Field, Input } from '../ui/field';
import { formatNumber } from '../ui/format';
import { useToast } from '../ui/toast';
import { useTokenChange } from './queries';

interface TokenDialogProps {
  workspaceId: string;
  direction: 'grant' | 'deduct';
  open: boolean;
  onOpenChange: (open: boolean) => void;
}

const WORDS = {
  grant: { title: 'Grant tokens', confirm: 'Confirm grant', done: 'Granted' },
  deduct: { title: 'Deduct tokens', confirm: 'Confirm deduct', done: 'Deducted' },
};

/** Grant or deduct: amount, reason, and an optional reference id that makes a retry safe. */
export function TokenDialog({ workspaceId, direction, open, onOpenChange }: TokenDialogProps) {
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [referenceId, setReferenceId] = useState('');
  const change = useTokenChange(workspaceId);
  const toast = useToast();
  const words = WORDS[direction];

  const amountError = amount !== '' && !/^\d+$/.test(amount.trim()) ? 'Enter a positive whole number' : amount.trim() === '0' ? 'The amount must be at least 1' : null;
  const reasonError = reason !== '' && reason.trim().length < 3 ? 'Write at least 3 characters' : null;

  const close = (next: boolean) => {
    if (!next) {
      setAmount('');
      setReason('');
      setReferenceId('');
      change.reset();
    }
    onOpenChange(next);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (amountError || reasonError) return;
    change.mutate(
      { direction, amount: Number(amount.trim()), reason: reason.trim(), referenceId },
      {
        onSuccess: (result) => {
          if (result.applied) toast({ title: `${words.done} ${formatNumber(Number(amount))} tokens`, description: `Balance is now ${formatNumber(result.balance)}.` });
          else toast({ tone: 'info', title: 'Already applied', description: `Reference ID “${referenceId.trim()}” was used before; nothing changed. Balance is ${formatNumber(result.balance)}.` });
          close(false);
        },
      },
    );
  };

  return (
    <Dialog open={open} onOpenChange={close} title={words.title}>
      <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
        {change.isError ? <ErrorAlert>{messageOf(change.error)}</ErrorAlert> : null}
        <Field label="Amount" error={amountError}>
          {(props) => <Input {...props} inputMode="numeric" autoComplete="off" value={amount} onChange={(e) => setAmount(e.target.value)} />}
        </Field>
        <Field label="Reason" error={reasonError} hint="Kept in the ledger and the audit log.">
          {(props) => <Input {...props} autoComplete="off" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
        <Field label="Reference ID (optional)" hint="A reference ID is applied once: repeating it changes nothing.">
          {(props) => <Input {...props} autoComplete="off" maxLength={200} value={referenceId} onChange={(e) => setReferenceId(e.target.value)} />}
        </Field>
        <div className="flex justify-end gap-2">
          <Button onClick={() => close(false)}>Cancel</Button>
          <Button type="submit" variant={direction === 'grant' ? 'primary' : 'danger'} busy={change.isPending} disabled={!amount || !reason}>
            {words.confirm}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
