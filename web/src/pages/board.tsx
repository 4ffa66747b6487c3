import { A } from "@solidjs/router";
import { createEffect, createSignal, For, on, Show } from "solid-js";
import { refreshOnReturn } from "../data/freshness";
import { communityId } from "../data/session";
import { getAll } from "../data/paged";
import type { Status, Wish } from "../data/types";
import { explain } from "../i18n/explain";
import { t, type Key } from "../i18n";
import { waitingTooLong } from "../ui/waiting";
import { WishCard } from "../ui/wish-card";
import { PageTitle } from "../ui/page-title";
import { ta } from "../i18n/activities";

const columns: Status[] = ["submitted", "open", "claimed", "in_progress", "completed", "confirmed"];

/** The community's wishes by state, the ones waiting too long first and marked. */
export default function Board() {
  const [lists, setLists] = createSignal<Partial<Record<Status, Wish[]>>>({});
  const [error, setError] = createSignal<unknown>();
  const [loading, setLoading] = createSignal(false);
  const [shown, setShown] = createSignal<Status>("submitted");

  const load = async (id: string | undefined) => {
    if (!id) return;
    setLoading(true);
    setError(undefined);
    try {
      const lists = await Promise.all(
        columns.map((s) => getAll<Wish>(`/api/wishes?communityId=${encodeURIComponent(id)}&status=${s}&limit=100`, 5)),
      );
      setLists(Object.fromEntries(columns.map((s, i) => [s, lists[i]])));
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  };
  createEffect(on(communityId, load));
  refreshOnReturn(() => load(communityId()));

  const items = () => {
    const all = lists()[shown()] ?? [];
    return [...all].sort((a, b) => Number(waitingTooLong(b)) - Number(waitingTooLong(a)) || a.updatedAt.localeCompare(b.updatedAt));
  };
  const late = (s: Status) => (lists()[s] ?? []).filter((w) => waitingTooLong(w)).length;

  return (
    <section class="page" aria-labelledby="board-title">
      <div class="page-head">
        <PageTitle id="board-title">{t("board.title")}</PageTitle>
        <A href="/activities" class="button secondary">
          {ta("activities.title")}
        </A>
        <A href="/map" class="button secondary">
          {t("map.open")}
        </A>
        <button type="button" class="secondary" onClick={() => load(communityId())} disabled={loading()} aria-busy={loading()}>
          {loading() ? t("loading") : t("action.refresh")}
        </button>
      </div>
      <Show when={error()}>
        <p class="notice error" role="alert">
          {explain(error())}
        </p>
      </Show>
      <div class="columns" role="group" aria-label={t("board.states")}>
        <For each={columns}>
          {(s) => (
            <button type="button" aria-pressed={shown() === s} onClick={() => setShown(s)}>
              {t(`status.${s}` as Key)} <span class="count">{(lists()[s] ?? []).length}</span>
              <Show when={late(s) > 0}>
                <span class="late">{t("board.late", { n: late(s) })}</span>
              </Show>
            </button>
          )}
        </For>
      </div>
      <h2 id="board-list">{t(`status.${shown()}` as Key)}</h2>
      <ul class="cards" aria-labelledby="board-list">
        <For each={items()}>{(w) => <WishCard wish={w} overdue={waitingTooLong(w)} />}</For>
      </ul>
      <Show when={!loading() && items().length === 0}>
        <p class="empty">{t("board.empty")}</p>
      </Show>
    </section>
  );
}
