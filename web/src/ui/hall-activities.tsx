import { A } from "@solidjs/router";
import { For, Show, type Resource } from "solid-js";
import type { Activity } from "../data/types";
import { explainLoad } from "../i18n/explain";
import { t } from "../i18n";
import { ActivityCard } from "./activity-card";
import { ta } from "../i18n/activities";

/** The hall's activities tab: loaded only when a member opens it, so the hall's first load stays wishes only. */
export default function HallActivities(props: { activities: Resource<Activity[]>; retry: () => void }) {
  const list = () => props.activities;
  return (
    <>
      <Show when={list().state === "errored"}>
        <div class="notice error" role="alert">
          <p>{explainLoad(list().error)}</p>
          <button type="button" class="secondary" onClick={() => props.retry()}>
            {t("action.retry")}
          </button>
        </div>
      </Show>
      <Show when={list().state === "pending"}>
        <p class="muted" role="status">
          {t("loading")}
        </p>
      </Show>
      <Show when={list().state === "ready" && list()()}>
        {(items) => (
          <Show when={items().length > 0} fallback={<p class="empty">{ta("hall.noActivities")}</p>}>
            <ul class="cards" aria-label={ta("activities.title")}>
              <For each={items()}>{(a) => <ActivityCard activity={a} />}</For>
            </ul>
          </Show>
        )}
      </Show>
      <A href="/activities" class="button secondary wide">
        {ta("activities.mine")}
      </A>
    </>
  );
}
