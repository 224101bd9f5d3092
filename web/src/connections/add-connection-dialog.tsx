import { type FormEvent, useState } from 'react';
import { messageOf } from '../api/errors';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { ErrorAlert } from '../ui/error-alert';
import { Field, Input } from '../ui/field';
import { useToast } from '../ui/toast';
import { useAddConnection } from './mutations';

const META_ID = /^\d{5,32}$/;

/** Mounted while open. The token is sent once and never shown again (the form forgets it on close). */
export function AddConnectionDialog({ workspaceId, onClose }: { workspaceId: string; onClose: () => void }) {
  const [form, setForm] = useState({ phoneNumberId: '', wabaId: '', accessToken: '', displayPhoneNumber: '', displayName: '' });
  const [touched, setTouched] = useState(false);
  const add = useAddConnection(workspaceId);
  const toast = useToast();
  const set = (field: keyof typeof form) => (event: { target: { value: string } }) => setForm((prev) => ({ ...prev, [field]: event.target.value }));
  const errors = {
    phoneNumberId: META_ID.test(form.phoneNumberId.trim()) ? null : 'Enter the phone number ID from Meta: 5 to 32 digits',
    wabaId: META_ID.test(form.wabaId.trim()) ? null : 'Enter the WhatsApp Business Account ID: 5 to 32 digits',
    accessToken: /^\S{10,4096}$/.test(form.accessToken.trim()) ? null : 'Paste the access token (at least 10 characters, no spaces)',
  };
  const shown = (field: keyof typeof errors) => (touched ? errors[field] : null);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (Object.values(errors).some(Boolean)) return;
    const optional = (value: string) => (value.trim() ? value.trim() : undefined);
    add.mutate({
      phoneNumberId: form.phoneNumberId.trim(),
      wabaId: form.wabaId.trim(),
      accessToken: form.accessToken.trim(),
      ...(optional(form.displayPhoneNumber) ? { displayPhoneNumber: optional(form.displayPhoneNumber) } : {}),
      ...(optional(form.displayName) ? { displayName: optional(form.displayName) } : {}),
    }, {
      onSuccess: (connection) => {
        toast({ title: 'Number added', description: `${connection.displayPhoneNumber ?? connection.phoneNumberId} receives messages once Meta's webhook points here.` });
        onClose();
      },
    });
  };

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title="Add a number" description="From Meta's WhatsApp Manager (API Setup). The access token is stored encrypted and never shown again.">
      <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
        {add.isError ? <ErrorAlert>{messageOf(add.error)}</ErrorAlert> : null}
        <Field label="Phone number ID" error={shown('phoneNumberId')}>
          {(props) => <Input {...props} inputMode="numeric" autoComplete="off" value={form.phoneNumberId} onChange={set('phoneNumberId')} />}
        </Field>
        <Field label="WhatsApp Business Account ID" error={shown('wabaId')}>
          {(props) => <Input {...props} inputMode="numeric" autoComplete="off" value={form.wabaId} onChange={set('wabaId')} />}
        </Field>
        <Field label="Access token" error={shown('accessToken')} hint="A system user's permanent token is best: temporary tokens expire within a day.">
          {(props) => <Input {...props} type="password" autoComplete="off" spellCheck={false} value={form.accessToken} onChange={set('accessToken')} />}
        </Field>
        <Field label="Phone number (optional)" hint="As people see it, e.g. +62 811 0001. Filled in by “Test” too.">
          {(props) => <Input {...props} autoComplete="off" maxLength={100} value={form.displayPhoneNumber} onChange={set('displayPhoneNumber')} />}
        </Field>
        <Field label="Name (optional)">
          {(props) => <Input {...props} autoComplete="off" maxLength={100} value={form.displayName} onChange={set('displayName')} />}
        </Field>
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={add.isPending}>Add number</Button>
        </div>
      </form>
    </Dialog>
  );
}
