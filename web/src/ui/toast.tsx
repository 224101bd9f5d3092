import * as T from '@radix-ui/react-toast';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { cn } from './cn';

export interface ToastMessage {
  title: string;
  description?: string;
  /** Default `success`. */
  tone?: 'success' | 'error' | 'info';
}

interface Shown extends ToastMessage {
  id: number;
}

const ToastContext = createContext<(message: ToastMessage) => void>(() => {});

/** The one place the app tells a person what happened: successes and API errors alike. */
export function useToast(): (message: ToastMessage) => void {
  return useContext(ToastContext);
}

const TONES = {
  success: 'border-emerald-300 bg-emerald-50 text-emerald-950',
  error: 'border-red-300 bg-red-50 text-red-950',
  info: 'border-slate-300 bg-white text-slate-900',
};

let nextId = 1;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Shown[]>([]);
  const show = useCallback((message: ToastMessage) => setToasts((list) => [...list.slice(-3), { ...message, id: nextId++ }]), []);
  const remove = (id: number) => setToasts((list) => list.filter((toast) => toast.id !== id));
  const value = useMemo(() => show, [show]);
  return (
    <ToastContext.Provider value={value}>
      <T.Provider swipeDirection="right" duration={6000}>
        {children}
        {toasts.map((toast) => (
          <T.Root
            key={toast.id}
            type={toast.tone === 'error' ? 'foreground' : 'background'}
            onOpenChange={(open) => (open ? undefined : remove(toast.id))}
            className={cn('rounded-md border p-3 shadow-lg', TONES[toast.tone ?? 'success'])}
          >
            <T.Title className="text-sm font-semibold">{toast.title}</T.Title>
            {toast.description ? <T.Description className="mt-0.5 text-sm">{toast.description}</T.Description> : null}
            <T.Close className="sr-only">Dismiss</T.Close>
          </T.Root>
        ))}
        <T.Viewport className="fixed right-0 bottom-0 z-[60] flex w-full max-w-sm flex-col gap-2 p-4 outline-none" />
      </T.Provider>
    </ToastContext.Provider>
  );
}
