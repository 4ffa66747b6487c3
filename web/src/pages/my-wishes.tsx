import { A } from "@solidjs/router";
import { For } from "solid-js";
import { refreshOnReturn } from "../data/freshness";
import { homeLists } from "../data/home-lists";
import { createPaged } from "../data/paged";
import type { Wish } from "../data/types";
import { t } from "../i18n";
import { ListState } from "../ui/list-state";
import { WishCard } from "../ui/wish-card";
import { PageTitle } from "../ui/page-title";

/** The resident's wishes, newest first, each with its state. */
export default function MyWishes() {
  const list = createPaged<Wish>(() => homeLists["/mine"](undefined));
  refreshOnReturn(() => list.reload());
  return (
    <section class="page" aria-labelledby="mine-title">
      <div class="page-head">
        <PageTitle id="mine-title">{t("mine.title")}</PageTitle>
        <A href="/post" class="button primary">
          {t("mine.post")}
        </A>
      </div>
      <ul class="cards" aria-labelledby="mine-title">
        <For each={list.items()}>{(w) => <WishCard wish={w} />}</For>
      </ul>
      <ListState list={list} empty={t("mine.empty")} next={{ href: "/post", label: t("mine.emptyNext") }} />
    </section>
  );
}
