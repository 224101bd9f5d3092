import { text, wholeNumber } from '../search-params';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const KINDS = ['text', 'image', 'video', 'audio', 'doc', 'other'] as const;
export type Kind = (typeof KINDS)[number];
export const GROUP_FILTERS = ['monitored', 'unmonitored', 'blocked'] as const;
export const AUDIT_KINDS = ['connect', 'disconnect', 'reconnect', 'qr_generated', 'discovery', 'group_rename', 'ingest', 'error'] as const;

/** `/monitor/groups?q=…&filter=monitored&page=2`; anything unknown falls back to its default. */
export interface GroupsSearch {
  q?: string;
  filter?: (typeof GROUP_FILTERS)[number];
  page?: number;
}

export function validateGroupsSearch(search: Record<string, unknown>): GroupsSearch {
  const filter = GROUP_FILTERS.find((f) => f === text(search.filter));
  const page = wholeNumber(search.page, 1);
  return { q: text(search.q).trim().slice(0, 200) || undefined, filter, page: page === 1 ? undefined : page };
}

/** `/monitor/messages?groupId=…&kind=image&q=…&before=2026-01-31` (before: a date jump, newest first from there). */
export interface ArchiveSearch {
  groupId?: string;
  kind?: Kind;
  q?: string;
  /** A day (YYYY-MM-DD): messages before the end of that day. */
  date?: string;
  /** The API cursor the date becomes. */
  before?: string;
}

export function validateArchiveSearch(search: Record<string, unknown>): Omit<ArchiveSearch, 'before'> {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text(search.date)) && !Number.isNaN(Date.parse(text(search.date))) ? text(search.date) : undefined;
  return {
    groupId: UUID.test(text(search.groupId)) ? text(search.groupId) : undefined,
    kind: KINDS.find((k) => k === text(search.kind)),
    q: text(search.q).trim().slice(0, 200) || undefined,
    date,
  };
}

/** The API filter for a URL: a date jump is the start of the next local day. */
export function archiveFilter(search: Omit<ArchiveSearch, 'before'>): ArchiveSearch {
  if (!search.date) return search;
  const [y, m, d] = search.date.split('-').map(Number) as [number, number, number];
  return { ...search, before: new Date(y, m - 1, d + 1).toISOString() };
}

/** `/monitor/activity?kind=error`. */
export interface ActivitySearch {
  kind?: (typeof AUDIT_KINDS)[number];
}

export const validateActivitySearch = (search: Record<string, unknown>): ActivitySearch => ({ kind: AUDIT_KINDS.find((k) => k === text(search.kind)) });
