import { A } from "@solidjs/router";
import { createResource, For, Show } from "solid-js";
import { finalStatuses } from "../../../functions/core/model";
import { refreshOnReturn } from "../data/freshness";
import { createPaged } from "../data/paged";
import { get } from "../data/api";
import { me } from "../data/session";
import type { Claim, LedgerEntry, Wish } from "../data/types";
import { formatDateTime, formatMinutes } from "../i18n";
import { ListState } from "../ui/list-state";
import { WishCard } from "../ui/wish-card";
import { PageTitle } from "../ui/page-title";
import { tTasks } from "../i18n/tasks";

/** The member's claims with the wishes they are on, and what comes next on each. */
export default function Tasks() {
  const list = createPaged<{ claim: Claim; wish: Wish }>(() => "/api/me/tasks?limit=20");
  refreshOnReturn(() => list.reload());
  // What each closed task credited: the member's ledger, read only once a task on the page is closed.
  const [hours] = createResource(
    () => list.items().some((i) => i.wish.status === "closed") && me()?.id,
    (id) => get<{ entries: LedgerEntry[] }>(`/api/members/${id}/hours`),
  );
  const credited = (c: Claim, w: Wish) => {
    if (w.status !== "closed" || hours.state !== "ready") return undefined;
    const minutes = hours()
      .entries.filter((e) => e.wishId === w.id)
      .reduce((sum, e) => sum + e.minutes, 0);
    return minutes > 0
      ? tTasks("tasks.credited", { d: formatMinutes(minutes) })
      : c.checkIn
        ? tTasks("tasks.credited", { d: formatMinutes(0) })
        : tTasks("tasks.noShow");
  };
  const next = (c: Claim, w: Wish) =>
    finalStatuses.includes(w.status)
      ? undefined
      : !c.checkIn
        ? tTasks("tasks.nextCheckIn")
        : !c.checkOut && w.status === "in_progress"
          ? tTasks("tasks.nextCheckOut")
          : w.status === "in_progress"
            ? tTasks("tasks.nextComplete")
            : undefined;
  return (
    <section class="page" aria-labelledby="tasks-title">
      <PageTitle id="tasks-title">{tTasks("tasks.title")}</PageTitle>
      <ul class="cards" aria-labelledby="tasks-title">
        <For each={list.items()}>
          {(item) => (
            <WishCard wish={item.wish}>
              <p class="meta">
                <span>{tTasks("tasks.claimedAt", { at: formatDateTime(item.claim.claimedAt) })}</span>
                <Show when={item.claim.dispatchedBy}>
                  <span>{tTasks("tasks.dispatched")}</span>
                </Show>
              </p>
              <Show when={credited(item.claim, item.wish)}>{(text) => <p class="credited-note">{text()}</p>}</Show>
              <Show when={item.wish.rating}>
                {(n) => (
                  <p class="thanks">
                    <span class="sr-only">{tTasks("tasks.thanks", { n: n() })}</span>
                    <span aria-hidden="true" class="stars-shown">
                      {"★".repeat(n()) + "☆".repeat(5 - n())}
                    </span>
                    <Show when={item.wish.comment}> 「{item.wish.comment}」</Show>
                  </p>
                )}
              </Show>
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
      <ListState list={list} empty={tTasks("tasks.empty")} next={{ href: "/hall", label: tTasks("tasks.emptyNext") }} />
    </section>
  );
}
