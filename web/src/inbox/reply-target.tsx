import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';

/** The message a reply will quote (`replyTo` on send-text), chosen on a message, shown in the reply box. */
export interface ReplyTarget {
  id: string;
  text: string;
}

const Context = createContext<{ target: ReplyTarget | null; setTarget(target: ReplyTarget | null): void }>({ target: null, setTarget: () => {} });

/** One per open thread: choosing "Reply" on a message sets it, sending or cancelling clears it. */
export function ReplyTargetProvider({ children }: { children: ReactNode }) {
  const [target, setTarget] = useState<ReplyTarget | null>(null);
  const value = useMemo(() => ({ target, setTarget }), [target]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export const useReplyTarget = () => useContext(Context);
