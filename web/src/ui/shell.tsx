import { A, useLocation, useNavigate, type RouteSectionProps } from "@solidjs/router";
import { createEffect, For, on, Show } from "solid-js";
import { get } from "../data/api";
import { loadCommunity, resolveCommunity } from "../data/community";
import { chooseRole, community, communityId, homeOf, me, role, roles, signOut, token, updateMe } from "../data/session";
import type { Me, Role } from "../data/types";
import { locale, setLocale, t, type Key } from "../i18n";
import { online } from "./online";

const navs: Record<Role, { href: string; label: Key }[]> = {
  resident: [
    { href: "/post", label: "nav.post" },
    { href: "/mine", label: "nav.mine" },
  ],
  member: [
    { href: "/hall", label: "nav.hall" },
    { href: "/tasks", label: "nav.tasks" },
    { href: "/hours", label: "nav.hours" },
  ],
  staff: [
    { href: "/review", label: "nav.review" },
    { href: "/board", label: "nav.board" },
    { href: "/verify", label: "nav.verify" },
  ],
};

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
  createEffect(
    on(token, (tk) => {
      if (tk) get<Me>("/api/me").then(updateMe, () => undefined);
    }),
  );

  // Which community waits for who the person is: their roles may decide it.
  createEffect(
    on([token, me, communityId], async ([tk, who, id]) => {
      if (!tk || !who) return;
      const resolved = id ?? (await resolveCommunity());
      if (resolved && community()?.id !== resolved) loadCommunity(resolved).catch(() => undefined);
    }),
  );

  const switchRole = (r: Role) => {
    chooseRole(r);
    navigate(homeOf(r));
  };

  return (
    <>
      <a class="skip" href="#main">
        {t("a11y.skip")}
      </a>
      <header class="top">
        <div class="bar">
          <p class="brand">
            <span>{t("app.name")}</span>
            <Show when={community()}>{(c) => <span class="community">{c().name}</span>}</Show>
          </p>
          <button
            type="button"
            class="link"
            lang={locale() === "en" ? "zh-CN" : "en"}
            onClick={() => setLocale(locale() === "en" ? "zh-CN" : "en")}
          >
            {t("lang.switch")}
          </button>
          <Show when={token()}>
            <button
              type="button"
              class="link"
              onClick={() => {
                signOut();
                navigate("/signin");
              }}
            >
              {t("action.signOut")}
            </button>
          </Show>
        </div>
        <Show when={token() && roles().length > 1}>
          <div class="roles" role="group" aria-label={t("role.switch")}>
            <For each={roles()}>
              {(r) => (
                <button type="button" aria-pressed={role() === r} onClick={() => switchRole(r)}>
                  {t(`role.${r}` as Key)}
                </button>
              )}
            </For>
          </div>
        </Show>
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
          <For each={navs[role()]}>
            {(item) => (
              <A href={item.href} activeClass="active">
                {t(item.label)}
              </A>
            )}
          </For>
        </nav>
      </Show>
    </>
  );
}
