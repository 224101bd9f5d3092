import { type AnyRoute, createRoute, lazyRouteComponent } from '@tanstack/react-router';
import type { QueryClient } from '@tanstack/react-query';
import { archiveQuery } from './queries';
import { archiveFilter, validateActivitySearch, validateArchiveSearch, validateGroupsSearch } from './search';

/**
 * The group monitor's pages (router.tsx adds them under the signed-in app, inside the pathless
 * layout MonitorLive that holds the monitor's event stream across them).
 */
export function monitorRoutes<P extends AnyRoute>(parent: P) {
  const getParentRoute = () => parent;
  return [
    createRoute({ getParentRoute, path: '/monitor', component: lazyRouteComponent(() => import('./session-page'), 'SessionPage') }),
    createRoute({ getParentRoute, path: '/monitor/groups', validateSearch: validateGroupsSearch, component: lazyRouteComponent(() => import('./groups-page'), 'GroupsPage') }),
    createRoute({
      getParentRoute,
      path: '/monitor/messages',
      validateSearch: validateArchiveSearch,
      loaderDeps: ({ search }) => search,
      // The feed is asked for while the page's code loads, not after it (not awaited: the page shows its own loading state).
      loader: ({ context, deps }) => void (context as { queryClient: QueryClient }).queryClient.prefetchInfiniteQuery(archiveQuery(archiveFilter(deps))),
      component: lazyRouteComponent(() => import('./archive-page'), 'ArchivePage'),
    }),
    createRoute({ getParentRoute, path: '/monitor/blocklists', component: lazyRouteComponent(() => import('./blocklists-page'), 'BlocklistsPage') }),
    createRoute({ getParentRoute, path: '/monitor/activity', validateSearch: validateActivitySearch, component: lazyRouteComponent(() => import('./activity-page'), 'ActivityPage') }),
  ] as const;
}
