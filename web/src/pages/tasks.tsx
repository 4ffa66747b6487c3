import { A } from "@solidjs/router";
import { For, Show } from "solid-js";
import { finalStatuses } from "../../../functions/core/model";
import { refreshOnReturn } from "../data/freshness";
import { createPaged } from "../data/paged";
import type { Claim, Wish } from "../data/types";
import { formatDateTime, t } from "../i18n";
import { ListState } from "../ui/list-state";
import { WishCard } from "../ui/wish-card";
import { PageTitle } from "../ui/page-title";

/** The member's claims with the wishes they are on, and what comes next on each. */
export default function Tasks() {
  const list = createPaged<{ claim: Claim; wish: Wish }>(() => "/api/me/tasks?limit=20");
  refreshOnReturn(() => list.reload());
  const next = (c: Claim, w: Wish) =>
    finalStatuses.includes(w.status)
      ? undefined
      : !c.checkIn
        ? t("tasks.nextCheckIn")
        : !c.checkOut && w.status === "in_progress"
          ? t("tasks.nextCheckOut")
          : w.status === "in_progress"
            ? t("tasks.nextComplete")
            : undefined;
  return (
    <section class="page" aria-labelledby="tasks-title">
      <PageTitle id="tasks-title">{t("tasks.title")}</PageTitle>
      <ul class="cards" aria-labelledby="tasks-title">
        <For each={list.items()}>
          {(item) => (
            <WishCard wish={item.wish}>
              <p class="meta">
                <span>{t("tasks.claimedAt", { at: formatDateTime(item.claim.claimedAt) })}</span>
                <Show when={item.claim.dispatchedBy}>
                  <span>{t("tasks.dispatched")}</span>
                </Show>
              </p>
              <Show when={next(item.claim, item.wish)}>
                {(text) => (
                  <A href={`/wishes/${item.wish.id}`} class="button primary wide">
                    {text()}
                  </A>
                )}
              </Show>
            </WishCard>
          )}
        </For>
      </ul>
      <ListState list={list} empty={t("tasks.empty")} />
    </section>
  );
}
