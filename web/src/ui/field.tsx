import * as Label from '@radix-ui/react-label';
import { forwardRef, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes, useId } from 'react';
import { cn } from './cn';

const CONTROL = 'w-full rounded-md border border-slate-300 bg-white px-3 text-sm text-slate-900 placeholder:text-slate-400 aria-[invalid=true]:border-red-500';

interface FieldProps {
  label: string;
  /** Shown under the control; also its accessible description. */
  hint?: ReactNode;
  /** Shown in red and marks the control invalid. */
  error?: string | null;
  children: (props: { 'id': string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode;
}

/** A labelled control with hint and error wired to it for screen readers. */
export function Field({ label, hint, error, children }: FieldProps) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(' ');
  return (
    <div className="flex flex-col gap-1">
      <Label.Root htmlFor={id} className="text-sm font-medium text-slate-700">{label}</Label.Root>
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
      {hint ? <p id={`${id}-hint`} className="text-xs text-slate-500">{hint}</p> : null}
      {/* Polite, not an alert: it changes as the person types and must not interrupt them. */}
      <p id={`${id}-error`} aria-live="polite" className="text-xs text-red-700 empty:hidden">{error ?? ''}</p>
    </div>
  );
}

export const Input = forwardRef<HTMLInputElement, InputHTMLAttributes<HTMLInputElement>>(function Input({ className, ...rest }, ref) {
  return <input ref={ref} className={cn(CONTROL, 'h-10', className)} {...rest} />;
});

export const Textarea = forwardRef<HTMLTextAreaElement, TextareaHTMLAttributes<HTMLTextAreaElement>>(function Textarea({ className, ...rest }, ref) {
  return <textarea ref={ref} className={cn(CONTROL, 'py-2 font-mono', className)} {...rest} />;
});
