import { A } from "@solidjs/router";
import { For } from "solid-js";
import { refreshOnReturn } from "../data/freshness";
import { homeLists } from "../data/home-lists";
import { createPaged } from "../data/paged";
import { communityId } from "../data/session";
import type { Wish } from "../data/types";
import { t } from "../i18n";
import { ListState } from "../ui/list-state";
import { WishCard } from "../ui/wish-card";
import { waitingTooLong } from "../ui/waiting";
import { PageTitle } from "../ui/page-title";

/** Wishes waiting for review, oldest first: each opens on its page with approve and reject. */
export default function Review() {
  const list = createPaged<Wish>(() => homeLists["/review"](communityId()), { wholeUpTo: 10 });
  refreshOnReturn(() => list.reload());
  return (
    <section class="page" aria-labelledby="review-title">
      <PageTitle id="review-title">{t("review.title")}</PageTitle>
      <p>
        <A href="/post" class="button">
          {t("review.takeIn")}
        </A>
      </p>
      <ul class="cards" aria-labelledby="review-title">
        <For each={[...list.items()].sort((a, b) => a.createdAt.localeCompare(b.createdAt))}>
          {(w) => <WishCard wish={w} overdue={waitingTooLong(w)} />}
        </For>
      </ul>
      <ListState list={list} empty={t("review.empty")} />
    </section>
  );
}
