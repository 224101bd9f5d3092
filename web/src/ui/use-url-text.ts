import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * A text box whose settled value lives in the URL: typing updates the box at once and `commit`s
 * the trimmed text once typing pauses for `ms` (default 250). When the URL changes from outside
 * (back/forward, a saved view) the box follows it and a pending commit is dropped; our own commit
 * coming back through the URL never overwrites what was typed since.
 */
export function useUrlText(value: string, commit: (text: string) => void, ms = 250): [string, (text: string) => void] {
  const [typed, setTyped] = useState(value);
  const written = useRef(value);
  const timer = useRef<number | undefined>(undefined);
  const latestCommit = useRef(commit);
  useEffect(() => {
    latestCommit.current = commit;
  }, [commit]);

  useEffect(() => {
    if (value === written.current) return;
    written.current = value;
    window.clearTimeout(timer.current);
    // The URL is the external system here: follow it when it changes from outside.

    setTyped(value);
  }, [value]);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const change = useCallback((text: string) => {
    setTyped(text);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      written.current = text.trim();
      latestCommit.current(text.trim());
    }, ms);
  }, [ms]);
  return [typed, change];
}
