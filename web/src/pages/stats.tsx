import { createResource, createSignal, lazy, Show, Suspense } from "solid-js";
import { A } from "@solidjs/router";
import { download, get } from "../data/api";
import { communityId } from "../data/session";
import type { Rankings, Stats } from "../data/types";
import { explain } from "../i18n/explain";
import { formatMinutes, formatNumber, locale, t } from "../i18n";
import { Busy, createAction, Outcome } from "../ui/action";
import { Headline, MonthField, thisMonth, WishCounts } from "../ui/figures";
import { PageTitle } from "../ui/page-title";
import { tStats } from "../i18n/stats";

const Bars = lazy(() => import("../ui/bars"));

/** This month as the service counts months: in China time (UTC+8), whatever the phone's clock zone. */

type Row = Rankings["items"][number];

/**
 * A ranking as bars: only those with hours this month (the rest counted in one line, not listed
 * as a dozen equal zeros), and equal ranks said to be ties.
 */
function Ranked(props: { items: Row[]; label: string; idle: "stats.idleBranches" | "stats.idleMembers"; top?: number }) {
  const active = () => props.items.filter((r) => r.minutes > 0);
  const idle = () => props.items.length - active().length;
  const tied = (rank: number) => active().filter((r) => r.rank === rank).length > 1;
  return (
    <>
      <Show when={active().length} fallback={<p class="empty">{tStats("stats.noRanking")}</p>}>
        <Bars
          label={props.label}
          rows={active()
            .slice(0, props.top ?? active().length)
            .map((b) => ({
              label: `${tied(b.rank) ? tStats("stats.tie") : ""}${b.rank}. ${b.name}`,
              value: b.score,
              text: tStats("stats.score", { s: formatNumber(b.score, { maximumFractionDigits: 1 }), d: formatMinutes(b.minutes) }),
            }))}
        />
      </Show>
      <Show when={active().length && idle()}>
        <p class="hint">{tStats(props.idle, { n: idle() })}</p>
      </Show>
    </>
  );
}

/** The community's figures for a month: the headline numbers, branches ranked, and the year's trend by month. */
export default function StatsPage() {
  const [month, setMonth] = createSignal(thisMonth());
  const query = () => (communityId() && /^\d{4}-\d{2}$/.test(month()) ? { c: communityId()!, m: month() } : undefined);
  const [stats] = createResource(query, ({ c, m }) => get<Stats>(`/api/communities/${c}/stats?period=${m}`));
  const [year] = createResource(query, ({ c, m }) => get<Stats>(`/api/communities/${c}/stats?period=${m.slice(0, 4)}`));
  const [branches] = createResource(query, ({ c, m }) => get<Rankings>(`/api/communities/${c}/rankings?period=${m}&by=branch`));
  const [members] = createResource(query, ({ c, m }) => get<Rankings>(`/api/communities/${c}/rankings?period=${m}&by=member`));

  const monthName = (key: string) => new Intl.DateTimeFormat(locale(), { month: "short" }).format(new Date(`${key}-15T00:00:00Z`));
  const trend = () => {
    const y = year.latest;
    if (!y?.detail) return [];
    const yearKey = month().slice(0, 4);
    const last = yearKey === thisMonth().slice(0, 4) ? Number(thisMonth().slice(5)) : 12;
    return Array.from({ length: last }, (_, i) => {
      const key = `${yearKey}-${String(i + 1).padStart(2, "0")}`;
      const m = y.detail!.months.find((x) => x.month === key);
      return {
        label: monthName(key),
        value: m?.minutes ?? 0,
        text: tStats("stats.trendRow", { d: formatMinutes(m?.minutes ?? 0), n: m?.personTimes ?? 0 }),
      };
    });
  };
  const exporting = createAction();
  const exportLedger = () =>
    exporting.run(async () => {
      const p = stats.latest!.period;
      return download(`/api/communities/${communityId()}/ledger.csv?from=${p.from}&to=${p.to}`, `ledger-${p.key}.csv`);
    }, tStats("data.downloaded"));
  const exportMembers = () =>
    exporting.run(() => download(`/api/communities/${communityId()}/members.csv`, "members.csv"), tStats("data.downloaded"));
  const failed = () => stats.error ?? branches.error ?? year.error ?? members.error;

  return (
    <section class="page" aria-labelledby="stats-title">
      <PageTitle id="stats-title">{tStats("stats.title")}</PageTitle>
      <MonthField id="stats-month" value={month()} onChange={setMonth} />
      <Show when={failed()}>
        <p class="notice error" role="alert">
          {explain(failed())}
        </p>
      </Show>
      <Show when={stats.loading && !stats.latest}>
        <p class="muted" role="status">
          {t("loading")}
        </p>
      </Show>
      <Show when={stats.latest}>
        {(s) => (
          <>
            <Headline figures={s()} />
            <Show when={s().detail}>
              {(d) => (
                <WishCounts wishes={d().wishes}>
                  <Show when={d().medianMinutesToClaim != null}>
                    <dt>{tStats("stats.toClaim")}</dt>
                    <dd>{formatMinutes(Math.round(d().medianMinutesToClaim!))}</dd>
                  </Show>
                  <Show when={d().medianMinutesToClose != null}>
                    <dt>{tStats("stats.toClose")}</dt>
                    <dd>{formatMinutes(Math.round(d().medianMinutesToClose!))}</dd>
                  </Show>
                  <Show when={d().averageRating != null}>
                    <dt>{tStats("stats.rating")}</dt>
                    <dd>
                      {tStats("stats.ratingValue", { r: formatNumber(d().averageRating!, { maximumFractionDigits: 1 }), n: d().ratings })}
                    </dd>
                  </Show>
                </WishCounts>
              )}
            </Show>
          </>
        )}
      </Show>
      <section class="panel" aria-labelledby="data-title">
        <h2 id="data-title">{tStats("data.title")}</h2>
        <button
          type="button"
          class="secondary wide"
          onClick={exportLedger}
          disabled={exporting.busy() || !stats.latest}
          aria-busy={exporting.busy()}
        >
          <Busy when={exporting.busy()} working={t("working")} idle={tStats("data.ledger", { m: month() })} />
        </button>
        <button type="button" class="secondary wide" onClick={exportMembers} disabled={exporting.busy()}>
          {tStats("data.members")}
        </button>
        <A href="/import" class="button secondary wide">
          {tStats("data.import")}
        </A>
        <Outcome action={exporting} />
      </section>
      <Suspense fallback={<p class="muted">{t("loading")}</p>}>
        <p class="hint">{tStats("stats.scoreHint")}</p>
        <h2 id="branches-title">{tStats("stats.branches")}</h2>
        <Show when={branches.latest}>{(r) => <Ranked items={r().items} label={tStats("stats.branches")} idle="stats.idleBranches" />}</Show>
        <h2>{tStats("stats.members")}</h2>
        <Show when={members.latest}>
          {(r) => <Ranked items={r().items} label={tStats("stats.members")} idle="stats.idleMembers" top={10} />}
        </Show>
        <h2>{tStats("stats.trend", { y: month().slice(0, 4) })}</h2>
        <Show when={year.latest}>
          <Bars label={tStats("stats.trend", { y: month().slice(0, 4) })} rows={trend()} />
        </Show>
      </Suspense>
    </section>
  );
}
