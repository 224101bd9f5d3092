import type { ReactNode } from 'react';

/** An error a person must read before going on (a refused sign-in, an action the API refused). */
export function ErrorAlert({ children }: { children: ReactNode }) {
  return <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">{children}</p>;
}
