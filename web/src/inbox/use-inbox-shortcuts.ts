import { useEffect, useRef } from 'react';

export interface InboxShortcutActions {
  next(): void;
  previous(): void;
  close(): void;
  focusSearch(): void;
  focusReply(): void;
  help(): void;
}

export const SHORTCUTS: { keys: string; does: string }[] = [
  { keys: 'j', does: 'Next conversation' },
  { keys: 'k', does: 'Previous conversation' },
  { keys: 'e', does: 'Close the open conversation' },
  { keys: '/', does: 'Search' },
  { keys: 'r', does: 'Reply' },
  { keys: '?', does: 'Show these shortcuts' },
];

/** Single-key shortcuts, ignored while typing in a field, with a modifier held, or inside a dialog. */
export function useInboxShortcuts(actions: InboxShortcutActions): void {
  const latest = useRef(actions);
  useEffect(() => {
    latest.current = actions;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target?.closest('input, textarea, select, [contenteditable="true"], [role="dialog"], [role="alertdialog"], [role="menu"]')) return;
      const run = { 'j': 'next', 'k': 'previous', 'e': 'close', '/': 'focusSearch', 'r': 'focusReply', '?': 'help' }[event.key] as keyof InboxShortcutActions | undefined;
      if (!run) return;
      event.preventDefault();
      latest.current[run]();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
