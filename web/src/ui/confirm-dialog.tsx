import * as Alert from '@radix-ui/react-alert-dialog';
import type { ReactNode } from 'react';
import { Button } from './button';

interface ConfirmDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: ReactNode;
  /** The confirming button's text, e.g. "Delete". */
  action: string;
  onConfirm: () => void;
}

/** An alert dialog for a change that needs a second thought: focus starts on Cancel, Escape cancels. */
export function ConfirmDialog({ open, onOpenChange, title, description, action, onConfirm }: ConfirmDialogProps) {
  return (
    <Alert.Root open={open} onOpenChange={onOpenChange}>
      <Alert.Portal>
        <Alert.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <Alert.Content className="fixed top-1/2 left-1/2 z-50 w-[calc(100vw-2rem)] max-w-sm -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-5 shadow-xl">
          <Alert.Title className="text-lg font-semibold">{title}</Alert.Title>
          <Alert.Description className="mt-1 text-sm text-slate-600">{description}</Alert.Description>
          <div className="mt-4 flex justify-end gap-2">
            <Alert.Cancel asChild><Button>Cancel</Button></Alert.Cancel>
            <Alert.Action asChild><Button variant="danger" onClick={onConfirm}>{action}</Button></Alert.Action>
          </div>
        </Alert.Content>
      </Alert.Portal>
    </Alert.Root>
  );
}
