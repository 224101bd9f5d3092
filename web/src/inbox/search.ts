import { text } from '../search-params';

export const STATUSES = ['all', 'open', 'pending', 'closed'] as const;
export type StatusTab = (typeof STATUSES)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The inbox's URL: `?status=open&assignee=me&tag=urgent&q=payment&view=<id>&thread=<id>`. Every
 * value is optional; anything unknown (`status=bogus`, a malformed id) falls back to its default
 * instead of failing the page.
 */
export interface InboxSearch {
  /** Default all. */
  status?: Exclude<StatusTab, 'all'>;
  /** `me`, `unassigned` or a member's id; default everyone. */
  assignee?: string;
  tag?: string;
  q?: string;
  /** The saved view these filters came from. */
  view?: string;
  /** The open thread. */
  thread?: string;
}

export function validateInboxSearch(search: Record<string, unknown>): InboxSearch {
  const status = text(search.status);
  const assignee = text(search.assignee);
  const id = (value: unknown) => (UUID.test(text(value)) ? text(value) : undefined);
  return {
    status: status === 'open' || status === 'pending' || status === 'closed' ? status : undefined,
    assignee: assignee === 'me' || assignee === 'unassigned' || UUID.test(assignee) ? assignee : undefined,
    tag: text(search.tag).trim().slice(0, 64) || undefined,
    q: text(search.q).trim().slice(0, 200) || undefined,
    view: id(search.view),
    thread: id(search.thread),
  };
}

/** The list's filters (what a saved view stores and what the API takes). */
export interface InboxFilters {
  status?: 'open' | 'pending' | 'closed';
  assignee?: string;
  tag?: string;
  q?: string;
}

export const filtersOf = (search: InboxSearch): InboxFilters => ({
  ...(search.status ? { status: search.status } : {}),
  ...(search.assignee ? { assignee: search.assignee } : {}),
  ...(search.tag ? { tag: search.tag } : {}),
  ...(search.q ? { q: search.q } : {}),
});
