import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, Outlet, useNavigate, useRouterState } from "@tanstack/react-router";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { AlertBadge, AlertNotice } from "./AlertSignal.tsx";
import { type Affiliation, logout, useMe } from "./auth.ts";
import { LanguageSwitch } from "./LanguageSwitch.tsx";
import { menuFor } from "./menu.ts";
import { Button } from "./ui/Button.tsx";

/** Signed-in layout: header (system name, user, language, logout), role menu, and the page. */
export function Shell() {
  const { t } = useTranslation("common");
  const me = useMe();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const items = menuFor(me);

  const signOut = useMutation({
    mutationFn: logout,
    onSettled: async () => {
      queryClient.clear();
      await navigate({ to: "/login" });
    },
  });

  // After an in-app navigation, move focus to the main region so screen-reader and keyboard
  // users start at the new page rather than at the link they used.
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const mainRef = useRef<HTMLElement>(null);
  const firstPath = useRef(pathname);
  useEffect(() => {
    if (pathname !== firstPath.current) {
      firstPath.current = "";
      mainRef.current?.focus({ preventScroll: true });
    }
  }, [pathname]);

  return (
    <div className="flex min-h-dvh flex-col bg-white">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded-8 focus:bg-white focus:px-4 focus:py-2 focus:text-blue-1000"
      >
        {t("nav.skipToMain")}
      </a>
      <header className="border-b-4 border-blue-900 bg-white">
        <div className="flex flex-wrap items-center justify-between gap-x-6 gap-y-2 px-6 py-3">
          <Link to="/" className="text-std-20B-150 text-blue-1000 hover:underline" data-testid="app-name">
            {t("app.name")}
          </Link>
          <div className="flex flex-wrap items-center gap-4">
            <div className="text-right leading-tight" data-testid="current-user">
              <p className="text-dns-16B-130" data-testid="current-user-name">
                <Link to="/account" className="hover:underline" title={t("nav.account")}>
                  {me.displayName}
                </Link>
              </p>
              <p className="text-dns-14N-130 text-solid-gray-700" data-testid="current-user-affiliation">
                {affiliationLabel(me.affiliation, t(`role.${me.role}`))}
              </p>
            </div>
            <LanguageSwitch />
            <Button
              variant="secondary"
              size="sm"
              busy={signOut.isPending}
              onClick={() => signOut.mutate()}
              data-testid="logout"
            >
              {t("nav.logout")}
            </Button>
          </div>
        </div>
      </header>
      <div className="flex flex-1 flex-col md:flex-row">
        <nav
          aria-label={t("nav.mainMenu")}
          data-testid="main-menu"
          className="shrink-0 border-b border-solid-gray-200 bg-solid-gray-50 md:w-56 md:border-r md:border-b-0"
        >
          <ul className="flex flex-wrap gap-1 p-2 md:flex-col md:flex-nowrap md:p-3">
            {items.map((item) => (
              <li key={item.name}>
                <Link
                  to={item.to}
                  activeOptions={{ exact: item.exact ?? false }}
                  data-testid={`menu-${item.name}`}
                  className="block rounded-8 px-3 py-2 text-std-16N-170 text-solid-gray-900 hover:bg-blue-100 hover:underline aria-[current=page]:bg-blue-900 aria-[current=page]:font-bold aria-[current=page]:text-white"
                >
                  <span>{t(item.labelKey)}</span>
                  {item.badge === "alerts" ? <AlertBadge /> : null}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" ref={mainRef} tabIndex={-1} className="min-w-0 flex-1 px-6 py-6 outline-none lg:px-8">
          {items.some((i) => i.badge === "alerts") ? <AlertNotice pathname={pathname} /> : null}
          <Outlet />
        </main>
      </div>
    </div>
  );
}

/**
 * 「東京都第一保健所」, not 「東京都第一保健所・保健所」: the role only where the name does not say it.
 * The national and administrator "affiliations" are the role itself (「国（厚生労働省）」), so their
 * role label stands alone rather than 「厚生労働省・国（厚生労働省）」.
 */
function affiliationLabel(affiliation: Affiliation | undefined, role: string): string {
  const name = affiliation?.name;
  if (!name || affiliation.kind === "national" || affiliation.kind === "admin") return role;
  return name.endsWith(role) ? name : `${name}・${role}`;
}
