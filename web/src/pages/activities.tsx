import { A } from "@solidjs/router";
import { createResource, For, Show } from "solid-js";
import { get } from "../data/api";
import { refreshOnReturn } from "../data/freshness";
import { createPaged } from "../data/paged";
import { communityId, role } from "../data/session";
import type { Activity, MyActivities } from "../data/types";
import { explainLoad } from "../i18n/explain";
import { t } from "../i18n";
import { ActivityCard } from "../ui/activity-card";
import { ListState } from "../ui/list-state";
import { PageTitle } from "../ui/page-title";

/** The community's activities, latest start first; a member's own sign-ups above them, staff's way to post one. */
export default function Activities() {
  const list = createPaged<Activity>(() =>
    communityId() ? `/api/communities/${encodeURIComponent(communityId()!)}/activities?limit=20` : undefined,
  );
  const [mine, { refetch }] = createResource(
    () => role() === "member",
    () => get<MyActivities>("/api/me/activities"),
  );
  refreshOnReturn(() => {
    list.reload();
    if (role() === "member") refetch();
  });
  return (
    <section class="page" aria-labelledby="activities-title">
      <PageTitle id="activities-title">{t("activities.title")}</PageTitle>
      <Show when={role() === "staff"}>
        <A href="/activities/new" class="button primary wide">
          {t("activities.post")}
        </A>
      </Show>
      <Show when={role() === "member"}>
        <h2 id="my-activities-title">{t("activities.mine")}</h2>
        <Show when={mine.state === "errored"}>
          <p class="notice error" role="alert">
            {explainLoad(mine.error)}
          </p>
        </Show>
        <Show when={mine.state === "ready" && mine()}>
          {(m) => (
            <Show when={m().items.length > 0} fallback={<p class="muted">{t("activities.mineEmpty")}</p>}>
              <ul class="cards" aria-labelledby="my-activities-title">
                <For each={m().items}>
                  {(item) => (
                    <ActivityCard activity={item.activity}>
                      <p class="stamp">
                        {item.signup.absentAt
                          ? t("attendance.absent")
                          : item.signup.checkOut
                            ? t("activities.attended")
                            : item.signup.checkIn
                              ? t("activities.inNow")
                              : t("activities.signedUp")}
                      </p>
                    </ActivityCard>
                  )}
                </For>
              </ul>
            </Show>
          )}
        </Show>
        <h2 id="all-activities-title">{t("activities.all")}</h2>
      </Show>
      <ul class="cards" aria-label={t("activities.all")}>
        <For each={list.items()}>{(a) => <ActivityCard activity={a} />}</For>
      </ul>
      <ListState list={list} empty={t("activities.empty")} />
    </section>
  );
}
