import { A, useSearchParams } from "@solidjs/router";
import { createResource, For, lazy, Show } from "solid-js";
import { get } from "../data/api";
import { refreshOnReturn } from "../data/freshness";
import { createPaged } from "../data/paged";
import { communityId, role } from "../data/session";
import type { Activity, MyActivities } from "../data/types";
import { explainLoad } from "../i18n/explain";
import { ActivityCard } from "../ui/activity-card";
import { ListState } from "../ui/list-state";
import { PageTitle } from "../ui/page-title";
import { ta } from "../i18n/activities";

/** The community's activities, latest start first; a member's own sign-ups above them, staff's way to post one. */
const PostForm = lazy(() => import("./activity/post-form"));

export default function Activities() {
  const [search] = useSearchParams();
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
    <Show when={!(search.new && role() === "staff")} fallback={<PostForm />}>
      <section class="page" aria-labelledby="activities-title">
        <PageTitle id="activities-title">{ta("activities.title")}</PageTitle>
        <Show when={role() === "staff"}>
          <A href="/activities?new=1" class="button primary wide">
            {ta("activities.post")}
          </A>
        </Show>
        <Show when={role() === "member"}>
          <h2 id="my-activities-title">{ta("activities.mine")}</h2>
          <Show when={mine.state === "errored"}>
            <p class="notice error" role="alert">
              {explainLoad(mine.error)}
            </p>
          </Show>
          <Show when={mine.state === "ready" && mine()}>
            {(m) => (
              <Show when={m().items.length > 0} fallback={<p class="muted">{ta("activities.mineEmpty")}</p>}>
                <ul class="cards" aria-labelledby="my-activities-title">
                  <For each={m().items}>
                    {(item) => (
                      <ActivityCard activity={item.activity}>
                        <p class="stamp">
                          {item.signup.absentAt
                            ? ta("attendance.absent")
                            : item.signup.checkOut
                              ? ta("activities.attended")
                              : item.signup.checkIn
                                ? ta("activities.inNow")
                                : ta("activities.signedUp")}
                        </p>
                      </ActivityCard>
                    )}
                  </For>
                </ul>
              </Show>
            )}
          </Show>
          <h2 id="all-activities-title">{ta("activities.all")}</h2>
        </Show>
        <ul class="cards" aria-label={ta("activities.all")}>
          <For each={list.items()}>{(a) => <ActivityCard activity={a} />}</For>
        </ul>
        <ListState list={list} empty={ta("activities.empty")} />
      </section>
    </Show>
  );
}
