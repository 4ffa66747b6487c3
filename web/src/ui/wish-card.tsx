import { A } from "@solidjs/router";
import { Show, type JSX } from "solid-js";
import { community } from "../data/session";
import type { Wish } from "../data/types";
import { formatAgo, formatDateTime, formatDistance, locale, t } from "../i18n";
import { Icon } from "./icons";
import { StatusBadge } from "./status-badge";

export const categoryName = (code: string) => community()?.categories.find((c) => c.code === code)?.name[locale()] ?? code;

/** One wish in a list: what, where, its state, and whatever the list adds (distance, waiting, an action). */
export function WishCard(props: { wish: Wish; distance?: number; overdue?: boolean; children?: JSX.Element }) {
  const w = () => props.wish;
  return (
    <li class="card" classList={{ overdue: props.overdue }}>
      <div class="card-head">
        <A href={`/wishes/${w().id}`} class="card-title">
          {w().title}
        </A>
        <StatusBadge status={w().status} />
      </div>
      <p class="meta">
        <span class="category">
          <Icon name={w().category} size={16} />
          {categoryName(w().category)}
        </span>
        <Show when={w().address}>
          <span>{w().address}</span>
        </Show>
        <Show when={props.distance !== undefined}>
          <span>{t("hall.away", { d: formatDistance(props.distance!) })}</span>
        </Show>
      </p>
      <p class="meta">
        <span>{t("card.posted", { ago: formatAgo(w().createdAt) })}</span>
        <Show when={w().slots > 1 || w().status === "open"}>
          <span>{t("card.places", { taken: w().claimed, slots: w().slots })}</span>
        </Show>
        <Show when={w().window}>
          <span>{t("card.window", { from: formatDateTime(w().window!.from), to: formatDateTime(w().window!.to) })}</span>
        </Show>
      </p>
      <Show when={props.overdue}>
        <p class="overdue-note">{t("board.waiting", { ago: formatAgo(w().updatedAt) })}</p>
      </Show>
      {props.children}
    </li>
  );
}
