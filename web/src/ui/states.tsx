import { AlertTriangle, Inbox } from 'lucide-react';
import type { ReactNode } from 'react';

/** A loading placeholder that screen readers announce once. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div role="status" className="flex items-center gap-2 p-6 text-sm text-slate-500">
      <span className="size-4 animate-spin rounded-full border-2 border-slate-300 border-t-emerald-700" aria-hidden />
      {label}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="flex flex-col items-center gap-2 p-10 text-center">
      <Inbox className="size-8 text-slate-400" aria-hidden />
      <p className="font-medium text-slate-700">{title}</p>
      {children ? <div className="text-sm text-slate-500">{children}</div> : null}
    </div>
  );
}

/** An error in place of content: the API's message, and a way out. */
export function ErrorState({ title, message, children }: { title: string; message?: string; children?: ReactNode }) {
  return (
    <div role="alert" className="mx-auto flex max-w-md flex-col items-center gap-2 p-10 text-center">
      <AlertTriangle className="size-8 text-amber-500" aria-hidden />
      <h1 className="text-lg font-semibold text-slate-800">{title}</h1>
      {message ? <p className="text-sm text-slate-600">{message}</p> : null}
      {children}
    </div>
  );
}
