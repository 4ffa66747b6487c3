import { For } from "solid-js";
import { refreshOnReturn } from "../data/freshness";
import { createPaged } from "../data/paged";
import { communityId } from "../data/session";
import type { Wish } from "../data/types";
import { t } from "../i18n";
import { ListState } from "../ui/list-state";
import { WishCard } from "../ui/wish-card";
import { PageTitle } from "../ui/page-title";

/** Wishes the residents confirmed, waiting for staff to verify the hours and close them: the longest waiting first. */
export default function VerifyQueue() {
  const list = createPaged<Wish>(
    () => (communityId() ? `/api/wishes?communityId=${encodeURIComponent(communityId()!)}&status=confirmed&limit=100` : undefined),
    { wholeUpTo: 10 },
  );
  refreshOnReturn(() => list.reload());
  return (
    <section class="page" aria-labelledby="verify-title">
      <PageTitle id="verify-title">{t("verifyQueue.title")}</PageTitle>
      <ul class="cards" aria-labelledby="verify-title">
        <For each={[...list.items()].sort((a, b) => a.updatedAt.localeCompare(b.updatedAt))}>{(w) => <WishCard wish={w} />}</For>
      </ul>
      <ListState list={list} empty={t("verifyQueue.empty")} />
    </section>
  );
}
