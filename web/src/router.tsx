import type { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, Outlet, redirect } from '@tanstack/react-router';
import { NotFoundPage } from './app/not-found';
import { currentAccessToken } from './auth/auth-client';
import { SignInPage } from './auth/sign-in-page';
import { validateInboxSearch } from './inbox/search';
import { MonitorLive } from './monitor/monitor-live';
import { monitorRoutes } from './monitor/routes';
import { parseSearch, stringifySearch, text, wholeNumber } from './search-params';
import type { PricingSearch } from './ops/pricing-page';

/** `?q=…&page=…`; both optional (absent means no search, page 1). */
export interface WorkspacesSearch {
  q?: string;
  page?: number;
}

interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({ component: Outlet, notFoundComponent: NotFoundPage });

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  validateSearch: (search): { redirect?: string; error_code?: string; error_description?: string } => ({
    redirect: text(search.redirect) || undefined,
    error_code: text(search.error_code) || undefined,
    error_description: text(search.error_description) || undefined,
  }),
  component: SignInPage,
});

const setupRoute = createRoute({ getParentRoute: () => rootRoute, path: '/setup', component: lazyRouteComponent(() => import('./auth/setup-page'), 'SetupPage') });

/** Everything behind sign-in: no session sends the person to /sign-in and back here after. */
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: async ({ location }) => {
    if (!(await currentAccessToken())) throw redirect({ to: '/sign-in', search: { redirect: location.href } });
  },
  // Pages behind sign-in load on demand: the first page (sign-in) ships only what it needs.
  component: lazyRouteComponent(() => import('./app/shell'), 'Shell'),
});

const homeRoute = createRoute({ getParentRoute: () => appRoute, path: '/', component: lazyRouteComponent(() => import('./app/home'), 'HomePage') });
const accountRoute = createRoute({ getParentRoute: () => appRoute, path: '/account', component: lazyRouteComponent(() => import('./auth/account-page'), 'AccountPage') });

const workspacesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/ops/platform-admin',
  validateSearch: (search): WorkspacesSearch => {
    const page = wholeNumber(search.page, 1);
    return { q: text(search.q) || undefined, page: page === 1 ? undefined : page };
  },
  component: lazyRouteComponent(() => import('./ops/workspaces-page'), 'WorkspacesPage'),
});

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const dateParam = (value: unknown) => (typeof value === 'string' && DATE.test(value) ? value : undefined);
const pricingRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/ops/pricing',
  validateSearch: (search): PricingSearch => ({ from: dateParam(search.from), to: dateParam(search.to) }),
  component: lazyRouteComponent(() => import('./ops/pricing-page'), 'PricingPage'),
});

const workspaceRoute = createRoute({ getParentRoute: () => appRoute, path: '/ops/workspaces/$workspaceId', component: lazyRouteComponent(() => import('./ops/workspace-detail-page'), 'WorkspaceDetailPage') });

const inboxesRoute = createRoute({ getParentRoute: () => appRoute, path: '/dashboard/meta-hub/whatsapp', component: lazyRouteComponent(() => import('./inbox/inbox-picker-page'), 'InboxPickerPage') });

const inboxRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/dashboard/meta-hub/whatsapp/$workspaceId',
  validateSearch: validateInboxSearch,
  component: lazyRouteComponent(() => import('./inbox/inbox-page'), 'InboxPage'),
});

const connectionsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/dashboard/meta-hub/whatsapp/$workspaceId/connections',
  component: lazyRouteComponent(() => import('./connections/connections-page'), 'ConnectionsPage'),
});

/** The monitor's pages share one event stream while the person moves between them. */
const monitorLiveRoute = createRoute({ getParentRoute: () => appRoute, id: 'monitor-live', component: MonitorLive });

const routeTree = rootRoute.addChildren([
  signInRoute,
  setupRoute,
  appRoute.addChildren([
    homeRoute, accountRoute, workspacesRoute, pricingRoute, workspaceRoute, inboxesRoute, inboxRoute, connectionsRoute,
    monitorLiveRoute.addChildren(monitorRoutes(monitorLiveRoute)),
  ]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    parseSearch,
    stringifySearch,
    defaultPreload: 'intent',
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
