import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { messageOf } from '../api/errors';
import { Button } from '../ui/button';
import { Field, Input } from '../ui/field';
import { formatDateTime } from '../ui/format';
import { ErrorState, Loading } from '../ui/states';
import { useToast } from '../ui/toast';
import { useMonitorPoll } from './monitor-live';
import { useBlocklistChange } from './mutations';
import { type BlocklistKind, blocklistQuery } from './queries';

const TEXT: Record<BlocklistKind, { title: string; label: string; hint: string; empty: string }> = {
  groups: {
    title: 'Blocked groups', label: 'Group id',
    hint: 'The WhatsApp group id, such as 120363012345678901@g.us. Blocked groups are never archived.', empty: 'No blocked groups.',
  },
  senders: {
    title: 'Blocked senders', label: 'Phone number or WhatsApp id',
    hint: 'A number such as +55 11 91234-5678, or an id ending in @lid. Matched by number and by lid.', empty: 'No blocked senders.',
  },
  keywords: { title: 'Blocked keywords', label: 'Keyword', hint: 'Messages containing it (any case) are not archived.', empty: 'No blocked keywords.' },
};

/** One blocklist: its entries with reasons, and (for owners and ops) add and remove. */
export function BlocklistSection({ kind, canManage }: { kind: BlocklistKind; canManage: boolean }) {
  const list = useQuery({ ...blocklistQuery(kind), refetchInterval: useMonitorPoll() });
  const { add, remove } = useBlocklistChange(kind);
  const toast = useToast();
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const text = TEXT[kind];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    add.mutate({ value, ...(reason.trim() ? { reason } : {}) }, {
      onSuccess: (entry) => {
        toast({ title: `Blocked ${entry.value}` });
        setValue('');
        setReason('');
      },
      onError: (e) => setError(messageOf(e)),
    });
  };

  return (
    <section aria-labelledby={`block-${kind}`} className="rounded-lg border border-slate-200 bg-white">
      <h2 id={`block-${kind}`} className="border-b border-slate-200 px-4 py-2 font-semibold text-slate-800">{text.title}</h2>
      {canManage ? (
        <form onSubmit={submit} className="grid gap-3 border-b border-slate-100 p-4 sm:grid-cols-[1fr_1fr_auto] sm:items-start" aria-label={`Add to ${text.title.toLowerCase()}`}>
          <Field label={text.label} hint={text.hint} error={error}>
            {(props) => <Input {...props} value={value} onChange={(e) => setValue(e.target.value)} required />}
          </Field>
          <Field label="Reason">{(props) => <Input {...props} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Optional" />}</Field>
          <Button type="submit" variant="primary" busy={add.isPending} className="sm:mt-6">Block</Button>
        </form>
      ) : null}
      {list.isPending ? <Loading /> : null}
      {list.isError ? <ErrorState title="Could not load the list" message={list.error.message} /> : null}
      {list.data && list.data.items.length === 0 ? <p className="px-4 py-3 text-sm text-slate-500">{text.empty}</p> : null}
      {list.data && list.data.items.length > 0 ? (
        <ul aria-label={text.title} className="divide-y divide-slate-100">
          {list.data.items.map((entry) => (
            <li key={entry.value} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2 text-sm">
              <span className="font-mono break-all text-slate-900">{entry.value}</span>
              {entry.reason ? <span className="text-slate-600">— {entry.reason}</span> : null}
              <time dateTime={entry.createdAt} className="text-xs text-slate-500">{formatDateTime(entry.createdAt)}</time>
              {canManage ? (
                <Button
                  size="sm"
                  variant="ghost"
                  className="ml-auto"
                  aria-label={`Unblock ${entry.value}`}
                  busy={remove.isPending && remove.variables === entry.value}
                  onClick={() => remove.mutate(entry.value, {
                    onSuccess: () => toast({ title: `Unblocked ${entry.value}` }),
                    onError: (e) => toast({ tone: 'error', title: `Could not unblock ${entry.value}`, description: messageOf(e) }),
                  })}
                >Unblock
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
