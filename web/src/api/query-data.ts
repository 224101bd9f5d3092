/** What the queryFn of a `queryOptions`/`infiniteQueryOptions` factory resolves to (one page for an infinite query). */
export type QueryData<T extends (...args: never[]) => { queryFn?: unknown }> =
  Awaited<ReturnType<Extract<ReturnType<T>['queryFn'], (...args: never[]) => unknown>>>;
