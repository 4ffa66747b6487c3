import { A } from "@solidjs/router";
import { createEffect, For, Show } from "solid-js";
import { post } from "../data/api";
import { setUnread, type Notice } from "../data/notifications";
import { createPaged } from "../data/paged";
import { formatAgo, t } from "../i18n";
import { Busy, createAction, Outcome } from "../ui/action";
import { ListState } from "../ui/list-state";
import { PageTitle } from "../ui/page-title";

/** The person's notifications, newest first; opening one marks it read and goes to its wish. */
export default function Notifications() {
  const list = createPaged<Notice>(() => "/api/notifications?limit=30");
  const readAll = createAction();
  createEffect(() => {
    if (list.loaded()) setUnread(list.items().filter((n) => !n.read).length);
  });
  const markRead = (n: Notice) => {
    if (n.read) return;
    list.setItems((items) => items.map((i) => (i.id === n.id ? { ...i, read: true } : i)));
    post(`/api/notifications/${n.id}/read`).catch(() => undefined);
  };
  const markAll = async () => {
    const done = await readAll.run(() => post("/api/notifications/read-all"), t("inbox.allRead"));
    if (done !== undefined) list.setItems((items) => items.map((i) => ({ ...i, read: true })));
  };
  return (
    <section class="page" aria-labelledby="inbox-title">
      <div class="page-head">
        <PageTitle id="inbox-title">{t("inbox.title")}</PageTitle>
        <Show when={list.items().some((n) => !n.read)}>
          <button type="button" class="secondary" onClick={markAll} disabled={readAll.busy()} aria-busy={readAll.busy()}>
            <Busy when={readAll.busy()} working={t("working")} idle={t("inbox.readAll")} />
          </button>
        </Show>
      </div>
      <Outcome action={readAll} />
      <ul class="cards" aria-labelledby="inbox-title">
        <For each={list.items()}>
          {(n) => (
            <li class="card notice-item" classList={{ unread: !n.read }}>
              <A href={`/wishes/${n.wishId}`} onClick={() => markRead(n)}>
                <Show when={!n.read}>
                  <span class="dot" aria-hidden="true" />
                  <span class="sr-only">{t("inbox.unread")}</span>
                </Show>
                <span>{n.text}</span>
              </A>
              <p class="meta">
                <time datetime={n.at}>{formatAgo(n.at)}</time>
              </p>
            </li>
          )}
        </For>
      </ul>
      <ListState list={list} empty={t("inbox.empty")} />
      <A href="/settings" class="button secondary wide">
        {t("inbox.settings")}
      </A>
    </section>
  );
}
