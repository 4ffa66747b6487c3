import { A } from "@solidjs/router";
import { Show, type JSX } from "solid-js";
import { formatChinaTime } from "../data/china-time";
import type { Activity } from "../data/types";
import { locale } from "../i18n";
import { ta } from "../i18n/activities";

const badgeClass = { open: "s-open", closed: "s-confirmed", verified: "s-closed" } as const;

export function ActivityBadge(props: { status: Activity["status"] }) {
  return <span class={`badge ${badgeClass[props.status]}`}>{ta(`activity.status.${props.status}`)}</span>;
}

/** Places as people count them: taken of how many, or unlimited. */
export function placesText(a: Pick<Activity, "places" | "signedUp">) {
  return a.places === undefined
    ? ta("activity.placesUnlimited", { taken: a.signedUp })
    : ta("activity.places", { taken: a.signedUp, places: a.places, free: Math.max(0, a.places - a.signedUp) });
}

/** One activity in a list: what, when (China time), where, its places and state, and whatever the list adds. */
export function ActivityCard(props: { activity: Activity; children?: JSX.Element }) {
  const a = () => props.activity;
  return (
    <li class="card activity-card">
      <div class="card-head">
        <A href={`/activities/${a().id}`} class="card-title">
          {a().title}
        </A>
        <ActivityBadge status={a().status} />
      </div>
      <p class="meta">
        <span>{ta("activity.kind")}</span>
        <span>
          {formatChinaTime(a().window.from, locale())} – {formatChinaTime(a().window.to, locale())}
        </span>
      </p>
      <p class="meta">
        <span>{a().address}</span>
        <Show when={a().status === "open"}>
          <span>{placesText(a())}</span>
        </Show>
      </p>
      {props.children}
    </li>
  );
}
