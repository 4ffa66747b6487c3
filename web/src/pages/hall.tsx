import { A, useBeforeLeave, useNavigate, useSearchParams } from "@solidjs/router";
import { createEffect, createMemo, createResource, createSignal, For, lazy, on, onMount, Show } from "solid-js";
import { ApiError, get } from "../data/api";
import { currentPosition, distance, GeoError, type Fix } from "../data/geo";
import { refreshOnReturn } from "../data/freshness";
import { homeLists } from "../data/home-lists";
import { createPaged } from "../data/paged";
import { community, communityId } from "../data/session";
import type { Activity, Page, Wish } from "../data/types";
import { locale, t } from "../i18n";
import { Busy, createAction, Outcome } from "../ui/action";
import { ListState } from "../ui/list-state";
import { WishCard } from "../ui/wish-card";
import { ClaimButton } from "./wish/member-actions";
import { Icon } from "../ui/icons";
import { PageTitle } from "../ui/page-title";

/** When the last back or forward happened: coming back to the hall that way puts it where it was. */
let poppedAt = 0;
addEventListener("popstate", () => {
  poppedAt = Date.now();
});
const scrollKey = "mw.hall.scroll";

/** The hall's two tabs, named here rather than in the catalogue every page loads. */
const tabNames = { "zh-CN": ["心愿", "集体活动"], en: ["Wishes", "Activities"] } as const;
const HallActivities = lazy(() => import("../ui/hall-activities"));

/** The community's activities still to come or under way, soonest first. */
async function comingActivities(communityId: string) {
  const page = await get<Page<Activity>>(`/api/communities/${encodeURIComponent(communityId)}/activities?status=open&limit=50`);
  const now = Date.now();
  return page.items.filter((a) => Date.parse(a.window.to) > now).sort((a, b) => a.window.from.localeCompare(b.window.from));
}

/**
 * Open wishes of the member's community: nearest first once the phone's position is known, by
 * category on request; beside them, on their own tab, the activities members may sign up for.
 */
export default function Hall() {
  const [search, setSearch] = useSearchParams();
  const onActivities = () => search.tab === "activities";
  const [activities, { refetch: refetchActivities }] = createResource(communityId, comingActivities);
  const navigate = useNavigate();
  // "Matches my skills" asks the server, which knows the member's skills and what each category calls for.
  const [mySkills, setMySkills] = createSignal(false);
  const list = createPaged<Wish>(() => {
    const path = homeLists["/hall"](communityId());
    return path && mySkills() ? `${path}&skills=mine` : path;
  });
  refreshOnReturn(() => {
    list.reload();
    refetchActivities();
  });
  const savedScroll = Number(sessionStorage.getItem(scrollKey) ?? 0);
  // Kept as the person leaves: by the time the hall is torn down the router has scrolled to the top.
  useBeforeLeave(() => sessionStorage.setItem(scrollKey, String(scrollY)));
  createEffect(
    on(list.loaded, (loaded) => {
      // The router renders the hall before this module hears the popstate: asked once the list is there.
      if (loaded && Date.now() - poppedAt < 5_000 && savedScroll > 0) requestAnimationFrame(() => scrollTo(0, savedScroll));
    }),
  );
  const [category, setCategory] = createSignal("");
  const [here, setHere] = createSignal<Fix>();
  const locate = createAction();
  const claim = createAction();

  const findMe = () =>
    locate.run(async () => {
      try {
        setHere(await currentPosition());
      } catch (err) {
        throw new ApiError(0, err instanceof GeoError ? `geo.${err.reason}` : "geo.unavailable", "");
      }
    });

  // Ask the phone only if the person already allowed it; otherwise the button asks.
  onMount(async () => {
    const state = await navigator.permissions?.query({ name: "geolocation" }).catch(() => undefined);
    if (state?.state === "granted") findMe();
  });

  const shown = createMemo(() => {
    const pos = here();
    const items = list
      .items()
      .filter((w) => !category() || w.category === category())
      .map((w) => ({ wish: w, distance: pos && w.location ? distance(pos, w.location) : undefined }));
    return pos ? items.sort((a, b) => (a.distance ?? Infinity) - (b.distance ?? Infinity)) : items;
  });

  return (
    <section class="page" aria-labelledby="hall-title">
      <PageTitle id="hall-title">{t("hall.title")}</PageTitle>
      <div class="columns hall-tabs">
        <button type="button" aria-pressed={!onActivities()} onClick={() => setSearch({ tab: undefined }, { replace: true })}>
          {tabNames[locale()][0]}
        </button>
        <button type="button" aria-pressed={onActivities()} onClick={() => setSearch({ tab: "activities" }, { replace: true })}>
          {activities.state === "ready" && activities().length > 0
            ? `${tabNames[locale()][1]} · ${activities().length}`
            : tabNames[locale()][1]}
        </button>
      </div>
      <Show when={onActivities()}>
        <HallActivities activities={activities} retry={refetchActivities} />
      </Show>
      <Show when={!onActivities()}>
        <div class="toolbar">
          <button type="button" class="secondary" onClick={findMe} disabled={locate.busy()} aria-busy={locate.busy()}>
            <Busy when={locate.busy()} working={t("geo.locating")} idle={here() ? t("hall.relocate") : t("hall.nearest")} />
          </button>
          <A href="/map" class="button secondary">
            {t("map.open")}
          </A>
          <Show when={here()}>
            <p class="hint" role="status">
              {t("hall.sorted")}
            </p>
          </Show>
        </div>
        <Outcome action={locate} />
        <fieldset class="chips">
          <legend>{t("hall.filter")}</legend>
          <label class="chip">
            <input type="radio" name="hall-category" checked={category() === ""} onChange={() => setCategory("")} />
            <span>{t("hall.all")}</span>
          </label>
          <label class="chip">
            <input type="checkbox" checked={mySkills()} onChange={(e) => setMySkills(e.currentTarget.checked)} />
            <span>
              <Icon name="skills" size={18} />
              {t("hall.mySkills")}
            </span>
          </label>
          <For each={community()?.categories ?? []}>
            {(c) => (
              <label class="chip">
                <input type="radio" name="hall-category" checked={category() === c.code} onChange={() => setCategory(c.code)} />
                <span>
                  <Icon name={c.code} size={18} />
                  {c.name[locale()]}
                </span>
              </label>
            )}
          </For>
        </fieldset>
        <Outcome action={claim} />
        <ul class="cards" aria-labelledby="hall-title">
          <For each={shown()}>
            {(item) => (
              <WishCard wish={item.wish} distance={item.distance}>
                <ClaimButton
                  wish={item.wish}
                  action={claim}
                  onClaimed={(w) => navigate(`/wishes/${w.id}?claimed=1`)}
                  onRefused={() => list.reload()}
                />
              </WishCard>
            )}
          </For>
        </ul>
        <Show when={list.loaded() && list.items().length > 0 && shown().length === 0}>
          <p class="empty">{t("hall.noneInCategory")}</p>
        </Show>
        <ListState list={list} empty={t("hall.empty")} />
      </Show>
    </section>
  );
}
