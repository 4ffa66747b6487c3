import { A, useLocation, useNavigate, type RouteSectionProps } from "@solidjs/router";
import { createEffect, createSignal, For, on, onCleanup, Show } from "solid-js";
import { loadCommunity, resolveCommunity } from "../data/community";
import { refreshUnread, unread } from "../data/notifications";
import { rememberLanguage } from "../data/preferences";
import { refreshMe } from "../data/profile";
import { community, communityId, me, role, supervised, token } from "../data/session";
import type { Role } from "../data/types";
import { locale, setLocale, t, type Key } from "../i18n";
import { Icon, Mark } from "./icons";
import { online } from "./online";

const navs: Record<Role, { href: string; label: Key }[]> = {
  resident: [
    { href: "/post", label: "nav.post" },
    { href: "/mine", label: "nav.mine" },
    { href: "/menu", label: "nav.menu" },
    { href: "/voices", label: "nav.voices" },
    { href: "/me", label: "nav.me" },
  ],
  member: [
    { href: "/hall", label: "nav.hall" },
    { href: "/tasks", label: "nav.tasks" },
    { href: "/hours", label: "nav.hours" },
    { href: "/me", label: "nav.me" },
  ],
  staff: [
    { href: "/review", label: "nav.review" },
    { href: "/board", label: "nav.board" },
    { href: "/verify", label: "nav.verify" },
    { href: "/stats", label: "nav.stats" },
    { href: "/me", label: "nav.me" },
  ],
};

/** The bell's outline (24 × 24). */
const bellPath =
  "M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z";

/** The frame of every page: header, role switch, offline notice, the page, the role's navigation. */
export function Shell(props: RouteSectionProps) {
  const navigate = useNavigate();
  const location = useLocation();

  createEffect(() => {
    if (!token() && location.pathname !== "/signin") {
      const next = location.pathname + location.search;
      navigate(`/signin${next === "/" ? "" : `?next=${encodeURIComponent(next)}`}`, { replace: true });
    }
  });

  // Roles can change on the server at any time: read them again whenever the app opens signed in.
  // The answer also names the community the app opens in, with its details.
  const [meRead, setMeRead] = createSignal(false);
  createEffect(
    on(token, (tk) => {
      setMeRead(false);
      if (tk)
        refreshMe().then(
          () => setMeRead(true),
          () => setMeRead(true),
        );
    }),
  );

  // Which community waits for who the person is: their roles may decide it, and their answer may bring it.
  createEffect(
    on([token, me, communityId, meRead], async ([tk, who, id, read]) => {
      if (!tk || !who || !read) return;
      const resolved = id ?? (await resolveCommunity());
      if (resolved && community()?.id !== resolved) loadCommunity(resolved).catch(() => undefined);
    }),
  );

  // The bell's count: on every page change, and every minute while the app is open. Not on the root,
  // which only leads on to the home: the home's own refresh takes the read the app started as it opened.
  createEffect(
    on([token, () => location.pathname], ([tk, path]) => {
      if (tk && path !== "/") refreshUnread();
    }),
  );
  const poll = setInterval(() => token() && document.visibilityState === "visible" && refreshUnread(), 60_000);
  onCleanup(() => clearInterval(poll));

  // Staff of a county or street read its dashboard first; acting in a community, its own tabs.
  const tabs = () => {
    const u = supervised();
    return u && role() === "resident"
      ? [{ href: `/units/${u}`, label: "nav.units" as Key }, ...navs.resident.slice(0, 2), navs.resident[4]]
      : navs[role()];
  };

  const switchLanguage = () => {
    const next = locale() === "en" ? "zh-CN" : "en";
    setLocale(next);
    if (token()) rememberLanguage(next).catch(() => undefined);
  };

  return (
    <>
      {/* biome-ignore lint/a11y/useValidAnchor: a real link to #main that also moves focus, which the router would swallow */}
      <a
        class="skip"
        href="#main"
        onClick={(e) => {
          // The router would treat the fragment as a navigation; the point is to move focus past the header.
          e.preventDefault();
          document.getElementById("main")?.focus();
        }}
      >
        {t("a11y.skip")}
      </a>
      <header class="top">
        <div class="bar">
          <p class="brand">
            <Mark />
            <span class="app-name">{t("app.name")}</span>
            <Show when={community()}>{(c) => <span class="community">{c().name}</span>}</Show>
          </p>
          <button type="button" class="link" lang={locale() === "en" ? "zh-CN" : "en"} onClick={switchLanguage}>
            {t("lang.switch")}
          </button>
          <Show when={token()}>
            <A href="/notifications" class="bell" aria-label={unread() > 0 ? t("inbox.bellUnread", { n: unread() }) : t("inbox.bell")}>
              <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
                <path fill="currentColor" d={bellPath} />
              </svg>
              <Show when={unread() > 0}>
                <span class="bell-count" aria-hidden="true">
                  {unread() > 99 ? "99+" : unread()}
                </span>
              </Show>
            </A>
          </Show>
        </div>
        <Show when={!online()}>
          <p class="offline" role="status">
            {t("offline")}
          </p>
        </Show>
      </header>
      <main id="main" tabindex="-1">
        {props.children}
      </main>
      <Show when={token() && me()}>
        <nav class="tabs" aria-label={t("nav.label")}>
          <For each={tabs()}>
            {(item) => (
              <A href={item.href} activeClass="active">
                <Icon name={item.href.startsWith("/units/") ? "stats" : item.href.slice(1)} size={22} />
                <span>{t(item.label)}</span>
              </A>
            )}
          </For>
        </nav>
      </Show>
    </>
  );
}
