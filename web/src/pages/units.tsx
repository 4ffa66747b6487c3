import { A, useParams } from "@solidjs/router";
import { createResource, createSignal, For, Show } from "solid-js";
import { get } from "../data/api";
import { me } from "../data/session";
import type { Unit, UnitRankings, UnitStats } from "../data/types";
import { formatNumber, t } from "../i18n";
import { explain } from "../i18n/explain";
import { tUnits } from "../i18n/units";
import { Headline, MonthField, thisMonth, WishCounts } from "../ui/figures";
import { PageTitle } from "../ui/page-title";

/** This month as the service counts months: in China time (UTC+8), whatever the phone's clock zone. */

const kindLabel = { county: "units.county", street: "units.street", community: "units.community", grid: "units.community" } as const;

/**
 * A county's, street's or community's figures for a month: the headline numbers, the communities
 * beneath ranked by hours as bars, and each street or community a link one level down. Staff of
 * a unit above a community see its figures here, read only.
 */
export default function UnitPage() {
  const params = useParams<{ id: string }>();
  const [month, setMonth] = createSignal(thisMonth());
  const [unit] = createResource(
    () => params.id,
    (id) => get<Unit>(`/api/units/${id}`),
  );
  const query = () => (/^\d{4}-\d{2}$/.test(month()) ? { id: params.id, m: month() } : undefined);
  const [stats] = createResource(query, ({ id, m }) => get<UnitStats>(`/api/units/${id}/stats?period=${m}`));
  /** The unit shown now, once its own answer is in (not the one before a drill-down). */
  const current = () => (!unit.error && unit.latest?.id === params.id ? unit.latest : undefined);
  // A refused or failed read says so (below) rather than throwing out of the page.
  const figures = () => (stats.error ? undefined : stats.latest);
  const above = () => current()?.kind === "county" || current()?.kind === "street";
  const [ranked] = createResource(
    () => (above() && query() ? query() : undefined),
    ({ id, m }) => get<UnitRankings>(`/api/units/${id}/rankings?period=${m}&by=community&limit=100`),
  );
  const rankedNow = () => (ranked.error ? undefined : ranked.latest);
  const items = () => (rankedNow()?.unitId === params.id ? rankedNow()!.items : []);
  const max = () => Math.max(1, ...items().map((r) => r.minutes));
  const idle = () => {
    const u = current();
    return u?.kind === "street" && u.children ? u.children.filter((c) => !items().some((r) => r.communityId === c.id)).length : 0;
  };
  /** The level above, when the reader is staff there too. */
  const up = () => {
    const u = current();
    const parentPath = u?.path?.slice(0, -1) ?? [];
    const who = me();
    const reach = who?.admin || who?.units.some((m) => m.roles.includes("staff") && parentPath.includes(m.unitId));
    return u?.parentId && reach ? u.parentId : undefined;
  };
  const ownCommunity = () => me()?.communities.some((m) => m.communityId === params.id && m.roles.includes("staff"));
  const failed = () => unit.error ?? stats.error ?? ranked.error;
  const title = () => (current() ? tUnits("units.title", { name: current()!.name }) : t("loading"));

  return (
    <section class="page" aria-labelledby="unit-title">
      <PageTitle id="unit-title">{title()}</PageTitle>
      <Show when={current()}>
        {(u) => (
          <p class="muted">
            {tUnits(kindLabel[u().kind])}
            <Show when={up()}>
              {(p) => (
                <>
                  {" · "}
                  <A href={`/units/${p()}`}>{tUnits("units.up")}</A>
                </>
              )}
            </Show>
            {/* Children come only to staff of the unit or above: those who may manage it. */}
            <Show when={u().children}>
              {" · "}
              <A href={`/units/${u().id}/manage`}>{tUnits("units.manage")}</A>
            </Show>
          </p>
        )}
      </Show>
      <MonthField id="unit-month" value={month()} onChange={setMonth} />
      <Show when={failed()}>
        <p class="notice error" role="alert">
          {explain(failed())}
        </p>
      </Show>
      <Show when={stats.loading && !figures()}>
        <p class="muted" role="status">
          {t("loading")}
        </p>
      </Show>
      <Show when={figures()}>{(s) => <Headline figures={s()} label={tUnits("units.title", { name: s().name })} />}</Show>
      <Show when={current()?.kind === "community" && figures()}>
        {(s) => (
          <>
            <Show when={!ownCommunity()}>
              <p class="hint">{tUnits("units.readOnly")}</p>
            </Show>
            <WishCounts wishes={s().detail.wishes} />
          </>
        )}
      </Show>
      <Show when={above()}>
        <h2 id="ranked-title">{tUnits("units.ranked")}</h2>
        <Show when={rankedNow()}>
          <Show when={items().length} fallback={<p class="empty">{tUnits("units.noRanking")}</p>}>
            <ul class="bars ranked" aria-labelledby="ranked-title">
              <For each={items()}>
                {(r) => (
                  <li>
                    <A class="bar-label" href={`/units/${r.communityId}`}>
                      {`${r.rank}. ${r.name}`}
                    </A>
                    <div class="bar-track" aria-hidden="true">
                      <div class="chart-bar" style={{ width: `${r.minutes > 0 ? Math.max(2, (r.minutes / max()) * 100) : 0}%` }} />
                    </div>
                    <div class="bar-value">
                      {tUnits("units.row", { h: formatNumber(r.hours, { maximumFractionDigits: 1 }), n: formatNumber(r.personTimes) })}
                    </div>
                  </li>
                )}
              </For>
            </ul>
          </Show>
          <Show when={items().length && idle()}>
            <p class="hint">{tUnits("units.idle", { n: idle() })}</p>
          </Show>
        </Show>
        <Show when={current()?.children?.length}>
          <h2 id="children-title">{tUnits(current()!.kind === "county" ? "units.streets" : "units.communities")}</h2>
          <ul class="unit-links" aria-labelledby="children-title">
            <For each={current()!.children}>
              {(c) => (
                <li>
                  <A class="button secondary wide" href={`/units/${c.id}`}>
                    {c.name}
                  </A>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </Show>
    </section>
  );
}
