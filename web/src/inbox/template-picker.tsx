import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, messageOf } from '../api/errors';
import { Button } from '../ui/button';
import { Field, Input } from '../ui/field';
import { useSendTemplate } from './mutations';
import { approvedTemplatesQuery } from './queries';
import { type Template, templateFields, templateParameters, templatePreview } from './template-fields';

function sendErrorText(error: unknown): string {
  if (error instanceof ApiError && error.code === 'template_not_approved') return `${error.message}. Choose another template.`;
  return `Not sent: ${messageOf(error)}`;
}

/**
 * The reply box outside the window (or on request): an approved template of the thread's WABA,
 * a field per parameter it needs, and a preview of the body as it will read.
 */
export function TemplatePicker({ workspaceId, threadId, onCancel }: { workspaceId: string; threadId: string; onCancel?: () => void }) {
  const templates = useQuery(approvedTemplatesQuery(workspaceId, threadId));
  const [chosen, setChosen] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [key, setKey] = useState(() => crypto.randomUUID());
  const send = useSendTemplate(workspaceId, threadId);
  const list = templates.data?.templates ?? [];
  const template: Template | undefined = list.find((t) => t.id === chosen);
  const fields = template ? templateFields(template) : [];
  const complete = template !== undefined && fields.every((f) => values[f.key]?.trim());

  return (
    <form
      aria-label="Send a template"
      className="flex flex-col gap-2 border-t border-slate-200 bg-white p-2"
      onSubmit={(e) => {
        e.preventDefault();
        if (!template || !complete || send.isPending) return;
        send.mutate({ name: template.name, language: template.language, parameters: templateParameters(template, values), idempotencyKey: key }, {
          onSuccess: () => {
            setChosen('');
            setValues({});
            setKey(crypto.randomUUID());
          },
        });
      }}
    >
      {send.isError ? <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{sendErrorText(send.error)}</p> : null}
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor={`template-${threadId}`} className="text-sm font-medium text-slate-700">Template</label>
        <select
          id={`template-${threadId}`}
          className="h-8 min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-2 text-sm"
          value={chosen}
          onChange={(e) => {
            setChosen(e.target.value);
            setValues({});
            send.reset();
            setKey(crypto.randomUUID());
          }}
        >
          <option value="">{templates.isPending ? 'Loading templates…' : list.length ? 'Choose an approved template' : 'No approved templates (sync them first)'}</option>
          {list.map((t) => <option key={t.id} value={t.id}>{t.name} ({t.language}, {t.category?.toLowerCase() ?? 'no category'})</option>)}
        </select>
        {onCancel ? <Button size="sm" variant="ghost" onClick={onCancel}>Back to text</Button> : null}
      </div>
      {template ? (
        <>
          {fields.length > 0 ? (
            <div className="grid gap-2 sm:grid-cols-2">
              {fields.map((field) => (
                <Field key={field.key} label={field.label}>
                  {(props) => (
                    <Input
                      {...props}
                      type={field.kind === 'url' ? 'url' : 'text'}
                      className="h-8"
                      value={values[field.key] ?? ''}
                      onChange={(e) => setValues((v) => ({ ...v, [field.key]: e.target.value }))}
                    />
                  )}
                </Field>
              ))}
            </div>
          ) : null}
          <div>
            <p className="text-xs font-medium text-slate-500">Preview</p>
            <p data-testid="template-preview" className="mt-1 max-w-[80%] rounded-lg bg-emerald-100 px-3 py-1.5 text-sm whitespace-pre-wrap text-slate-900">{templatePreview(template, values)}</p>
          </div>
        </>
      ) : null}
      <div className="flex justify-end">
        <Button type="submit" variant="primary" busy={send.isPending} disabled={!complete}>Send template</Button>
      </div>
    </form>
  );
}
