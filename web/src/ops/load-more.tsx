import { Button } from '../ui/button';
import { ErrorAlert } from '../ui/error-alert';
import type { History } from './history-queries';

/** The foot of a history list: "Load more" while older entries exist, and why the last try failed. */
export function LoadMore({ history, what }: { history: History<unknown>; what: string }) {
  if (!history.canLoadMore && !history.error) return null;
  return (
    <div className="flex flex-col items-center gap-2 border-t border-slate-200 p-3">
      {history.error ? <ErrorAlert>Could not load more {what}: {history.error.message}</ErrorAlert> : null}
      {history.canLoadMore ? (
        <Button size="sm" busy={history.loading} onClick={history.loadMore} aria-label={`Load more ${what}`}>
          {history.loading ? 'Loading…' : 'Load more'}
        </Button>
      ) : null}
    </div>
  );
}
