// A tiny History API router: the current location, navigate(), <Link> and <Redirect>.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type AnchorHTMLAttributes,
  type MouseEvent,
  type ReactNode,
} from "react";

export interface Location {
  pathname: string;
  search: string;
  hash: string;
}

interface Router {
  location: Location;
  /** Increases on every navigation inside the app, so pages can react to it (focus, scroll). */
  navigations: number;
  navigate(to: string, options?: { replace?: boolean }): void;
}

const RouterContext = createContext<Router | null>(null);

const current = (): Location => ({
  pathname: window.location.pathname,
  search: window.location.search,
  hash: window.location.hash,
});

export function RouterProvider({ children }: { children: ReactNode }) {
  const [location, setLocation] = useState(current);
  const [navigations, setNavigations] = useState(0);

  useEffect(() => {
    const onPop = () => {
      setLocation(current());
      setNavigations((n) => n + 1);
    };
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);

  const navigate = useCallback((to: string, options: { replace?: boolean } = {}) => {
    const here = window.location.pathname + window.location.search + window.location.hash;
    if (to !== here) {
      if (options.replace) window.history.replaceState(null, "", to);
      else window.history.pushState(null, "", to);
    }
    if (!options.replace) window.scrollTo(0, 0);
    setLocation(current());
    setNavigations((n) => n + 1);
  }, []);

  const value = useMemo(() => ({ location, navigations, navigate }), [location, navigations, navigate]);
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRouter(): Router {
  const router = useContext(RouterContext);
  if (!router) throw new Error("useRouter outside RouterProvider");
  return router;
}

export const useLocation = (): Location => useRouter().location;
export const useNavigate = (): Router["navigate"] => useRouter().navigate;

/** A same-origin path we may send someone to after sign-in (no `//host` or `https:` tricks). */
export function safeNext(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  return value;
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href"> & { to: string };

/** An ordinary link that navigates inside the app on a plain left click. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const navigate = useNavigate();
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey ||
      (rest.target && rest.target !== "_self")
    ) {
      return;
    }
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handle} {...rest} />;
}

/** Whether `to` is the page at `pathname` or a page under it (`/settings` for `/settings/users`). */
export const pathMatches = (pathname: string, to: string, exact?: boolean): boolean =>
  exact ? pathname === to : pathname === to || pathname.startsWith(`${to}/`);

/**
 * A link that marks itself as the current page (aria-current) when its path matches; `current`
 * decides instead where two links match, such as /settings and /settings/teams in one menu.
 */
export function NavLink({ to, exact, current, ...rest }: LinkProps & { exact?: boolean; current?: boolean }) {
  const { pathname } = useLocation();
  const active = current ?? pathMatches(pathname, to, exact);
  return <Link to={to} aria-current={active ? "page" : undefined} {...rest} />;
}

export function Redirect({ to }: { to: string }) {
  const navigate = useNavigate();
  useEffect(() => navigate(to, { replace: true }), [navigate, to]);
  return null;
}
