import { A, useNavigate, useSearchParams } from "@solidjs/router";
import { createEffect, createMemo, createResource, createSignal, For, onCleanup, onMount, Show } from "solid-js";
import { ApiError, get } from "../data/api";
import { refreshOnReturn } from "../data/freshness";
import { currentPosition, distance, GeoError, type Fix } from "../data/geo";
import { getAll } from "../data/paged";
import { communityId, role } from "../data/session";
import type { Activity, LatLng, Page, Wish } from "../data/types";
import { explainLoad } from "../i18n/explain";
import { formatDateTime, formatDistance, t } from "../i18n";
import { Busy, createAction, Outcome } from "../ui/action";
import { PageTitle } from "../ui/page-title";
import { categoryName } from "../ui/wish-card";
import type { Area, MapHandle, Place } from "../ui/map-view";

interface Work {
  wishes: Wish[];
  activities: Activity[];
  areas: Area[];
}

/** The community's grids with their areas, for staff (who may read them); nobody else gets a unit's children. */
async function gridAreas(id: string): Promise<Area[]> {
  const unit = await get<{ children?: { id: string; kind: string; name: string }[] }>(`/api/units/${encodeURIComponent(id)}`);
  const grids = (unit.children ?? []).filter((c) => c.kind === "grid").slice(0, 50);
  const read = await Promise.all(
    grids.map((g) => get<{ name: string; area?: LatLng[] }>(`/api/units/${encodeURIComponent(g.id)}`).catch(() => undefined)),
  );
  return read.flatMap((g) => (g?.area && g.area.length >= 3 ? [{ name: g.name, points: g.area }] : []));
}

/** Where the work is: open wishes, activities still to come and, for staff, the grids. Never anyone's position. */
async function loadWork(id: string): Promise<Work> {
  const c = encodeURIComponent(id);
  const [wishes, activities, areas] = await Promise.all([
    getAll<Wish>(`/api/wishes?communityId=${c}&status=open&limit=100`, 5),
    get<Page<Activity>>(`/api/communities/${c}/activities?status=open&limit=50`)
      .then((p) => p.items.filter((a) => Date.parse(a.window.to) > Date.now()))
      .catch(() => []),
    role() === "staff" ? gridAreas(id).catch(() => []) : Promise.resolve([]),
  ]);
  return { wishes, activities, areas };
}

/**
 * The map for staff (from the board and dispatch) and members (from the hall): markers for open
 * wishes and coming activities, each with a popup, the grids for staff, and distances from the
 * phone once the person asks. Leaflet arrives with this page only (ui/map-view.ts).
 */
export default function MapPage() {
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const [work, { refetch }] = createResource(communityId, loadWork);
  refreshOnReturn(() => refetch());
  const [here, setHere] = createSignal<Fix>();
  const [handle, setHandle] = createSignal<MapHandle>();
  const [mapError, setMapError] = createSignal<unknown>();
  const locate = createAction();
  let box!: HTMLDivElement;

  onMount(async () => {
    try {
      const { createMap } = await import("../ui/map-view");
      const env = import.meta.env;
      const h = createMap(box, {
        tiles: env.VITE_MAP_TILES,
        subdomains: env.VITE_MAP_SUBDOMAINS,
        attribution: env.VITE_MAP_ATTRIBUTION,
        labels: {
          zoomIn: t("map.zoomIn"),
          zoomOut: t("map.zoomOut"),
          close: t("map.close"),
          you: t("map.you"),
          area: (name) => t("map.grid", { name }),
        },
        navigate: (href) => navigate(href),
      });
      setHandle(h);
    } catch (err) {
      setMapError(err instanceof ApiError ? err : new ApiError(0, navigator.onLine ? "network.failed" : "network.offline", ""));
    }
  });
  onCleanup(() => handle()?.destroy());

  const away = (p: LatLng) => (here() ? distance(here()!, p) : undefined);
  const placed = createMemo(() => (work()?.wishes ?? []).filter((w) => w.location));
  const places = createMemo<Place[]>(() => {
    const w = work();
    if (!w) return [];
    const far = (p: LatLng) => (away(p) === undefined ? [] : [t("map.away", { d: formatDistance(away(p)!) })]);
    return [
      ...placed().map((wish) => ({
        id: wish.id,
        kind: "wish" as const,
        ...wish.location!,
        title: wish.title,
        lines: [
          categoryName(wish.category),
          ...(wish.window ? [formatDateTime(wish.window.from)] : []),
          ...(wish.address ? [wish.address] : []),
          ...far(wish.location!),
        ],
        href: `/wishes/${wish.id}`,
        linkText: t("map.openWish"),
      })),
      ...w.activities.map((a) => ({
        id: a.id,
        kind: "activity" as const,
        ...a.location,
        title: a.title,
        lines: [`${formatDateTime(a.window.from)} – ${formatDateTime(a.window.to)}`, a.address, ...far(a.location)],
        // The link reads as the activity's title: its page has the sign-up and the rest.
        href: `/activities/${a.id}`,
      })),
    ];
  });

  createEffect(() => {
    const h = handle();
    const w = work();
    if (!h || !w) return;
    h.show({ places: places(), areas: w.areas, you: here() });
  });
  // From dispatch: the wish staff were looking at, its popup open.
  createEffect(() => {
    const h = handle();
    if (h && work() && search.wish) h.open(String(search.wish));
  });

  const findMe = () =>
    locate.run(async () => {
      try {
        setHere(await currentPosition());
      } catch (err) {
        throw new ApiError(0, err instanceof GeoError ? `geo.${err.reason}` : "geo.unavailable", "");
      }
    });

  const listed = createMemo(() => {
    const all = places();
    return here() ? [...all].sort((a, b) => (away(a) ?? Infinity) - (away(b) ?? Infinity)) : all;
  });

  return (
    <section class="page" aria-labelledby="map-title">
      <div class="page-head">
        <PageTitle id="map-title">{t("map.title")}</PageTitle>
        <button type="button" class="secondary" onClick={findMe} disabled={locate.busy()} aria-busy={locate.busy()}>
          <Busy when={locate.busy()} working={t("geo.locating")} idle={here() ? t("map.relocate") : t("map.locate")} />
        </button>
      </div>
      <Outcome action={locate} />
      <p class="hint">{here() ? t("map.located") : t("map.privacy")}</p>
      <Show when={work.error}>
        <div class="notice error" role="alert">
          <p>{explainLoad(work.error)}</p>
          <button type="button" class="secondary" onClick={() => refetch()}>
            {t("action.retry")}
          </button>
        </div>
      </Show>
      <Show when={mapError()}>
        <p class="notice error" role="alert">
          {t("map.failed")}
        </p>
      </Show>
      <Show when={!handle() && !mapError()}>
        <p class="muted" role="status">
          {t("map.loading")}
        </p>
      </Show>
      <div class="map" ref={box} role="region" aria-label={t("map.label")} />
      <Show when={work()}>
        {(w) => (
          <>
            <p class="hint">
              {t("map.wishes", { n: placed().length })}
              {w().activities.length ? ` · ${t("map.activities", { n: w().activities.length })}` : ""}
              {import.meta.env.VITE_MAP_TILES ? "" : ` · ${t("map.plain")}`}
            </p>
            <Show when={w().wishes.length > placed().length}>
              <p class="hint">{t("map.unplaced", { n: w().wishes.length - placed().length })}</p>
            </Show>
            <Show when={places().length === 0}>
              <p class="empty">{t("map.none")}</p>
            </Show>
          </>
        )}
      </Show>
      <Show when={places().length > 0}>
        <h2 id="map-list">{t("map.list")}</h2>
        <ul class="cards" aria-labelledby="map-list">
          <For each={listed()}>
            {(p) => (
              <li class="card">
                <Show when={p.href} fallback={<strong>{p.title}</strong>}>
                  <A href={p.href!} class="card-title">
                    {p.title}
                  </A>
                </Show>
                <p class="meta">{p.lines.join(" · ")}</p>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
