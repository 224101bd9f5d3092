import * as Menu from '@radix-ui/react-dropdown-menu';
import { Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { useEffect, useRef } from 'react';
import { ChevronDown, LogOut, UserRound } from 'lucide-react';
import { useAuth, useSession } from '../auth/session';
import { useMe } from '../auth/me';
import { useToast } from '../ui/toast';
import { messageOf } from '../api/errors';

const NAV_LINK = 'rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 [&.active]:bg-emerald-50 [&.active]:text-emerald-900';

/** Header (brand, the areas this user may use, the user menu) above every signed-in page. */
export function Shell() {
  const session = useSession();
  const { signOut } = useAuth();
  const me = useMe();
  const toast = useToast();
  const navigate = useNavigate();
  useFocusOnNavigation();
  if (!session) return null;
  const email = session.user.email ?? 'Signed in';

  const onSignOut = async () => {
    try {
      await signOut();
      await navigate({ to: '/sign-in', search: {} });
    } catch (error) {
      toast({ tone: 'error', title: 'Sign-out failed', description: messageOf(error) });
    }
  };

  return (
    <div className="min-h-dvh">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:p-2">Skip to content</a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex h-14 max-w-6xl items-center gap-4 px-4">
          <Link to="/" className="flex items-center gap-2 font-semibold text-slate-900" aria-label="wabase home">
            <img src="/favicon.svg" alt="" className="size-7" />
            <span>wabase</span>
          </Link>
          <nav aria-label="Main" className="flex min-w-0 flex-1 items-center gap-1 overflow-x-auto">
            <Link to="/dashboard/meta-hub/whatsapp" className={NAV_LINK}>Inbox</Link>
            {me.data?.platformAdmin ? <Link to="/ops/platform-admin" search={{}} className={NAV_LINK}>Ops console</Link> : null}
            {me.data?.monitor ? <Link to="/monitor" className={NAV_LINK}>Monitor</Link> : null}
          </nav>
          <Menu.Root>
            <Menu.Trigger className="flex max-w-[45vw] items-center gap-1.5 rounded-md px-2 py-1.5 text-sm text-slate-700 hover:bg-slate-100" aria-label={`Account menu for ${email}`}>
              <UserRound className="size-4 shrink-0" aria-hidden />
              <span className="hidden truncate sm:inline">{email}</span>
              <ChevronDown className="size-4 shrink-0" aria-hidden />
            </Menu.Trigger>
            <Menu.Portal>
              <Menu.Content align="end" sideOffset={6} className="z-50 min-w-48 rounded-md border border-slate-200 bg-white p-1 shadow-lg">
                <Menu.Label className="truncate px-2 py-1.5 text-xs text-slate-500">{email}</Menu.Label>
                <Menu.Item asChild className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-slate-100">
                  <Link to="/account"><UserRound className="size-4" aria-hidden />Account</Link>
                </Menu.Item>
                <Menu.Item onSelect={() => void onSignOut()} className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-slate-100">
                  <LogOut className="size-4" aria-hidden />Sign out
                </Menu.Item>
              </Menu.Content>
            </Menu.Portal>
          </Menu.Root>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-6">
        <Outlet />
      </main>
    </div>
  );
}

/**
 * After a client-side navigation, focus moves to the new page's heading, so a screen reader says
 * where the person is now (a full page load does this by itself).
 */
function useFocusOnNavigation() {
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    // The page may still be loading its data: wait for its heading a little.
    let tries = 0;
    const timer = window.setInterval(() => {
      const heading = document.querySelector<HTMLElement>('#main h1');
      if (heading || ++tries > 20) window.clearInterval(timer);
      if (!heading) return;
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }, 50);
    return () => window.clearInterval(timer);
  }, [pathname]);
}
