import { A } from "@solidjs/router";
import { Show } from "solid-js";
import type { Paged } from "../data/paged";
import { explainLoad } from "../i18n/explain";
import { formatDateTime, t } from "../i18n";
import { Busy } from "./action";

/** What a list says around its items: loading, empty, failed (with a retry), and "more". */
export function ListState<T>(props: { list: Paged<T>; empty: string; next?: { href: string; label: string } }) {
  const l = () => props.list;
  return (
    <>
      <Show when={l().error()}>
        {(err) => (
          <div class="notice error" role="alert">
            <p>{explainLoad(err())}</p>
            <button type="button" class="secondary" onClick={() => l().reload()}>
              {t("action.retry")}
            </button>
          </div>
        )}
      </Show>
      <Show when={l().savedAt()}>
        {(at) => (
          <p class="notice" role="status">
            {t("list.kept", { at: formatDateTime(at()) })}
          </p>
        )}
      </Show>
      <Show when={l().loading() && !l().loaded()}>
        <p class="muted" role="status">
          {t("loading")}
        </p>
      </Show>
      <Show when={l().loaded() && !l().loading() && l().items().length === 0}>
        <div class="empty">
          <p>{props.empty}</p>
          <Show when={props.next}>
            {(n) => (
              <A href={n().href} class="button primary">
                {n().label}
              </A>
            )}
          </Show>
        </div>
      </Show>
      <Show when={l().more()}>
        <button type="button" class="secondary wide" onClick={() => l().loadMore()} disabled={l().loading()} aria-busy={l().loading()}>
          <Busy when={l().loading()} working={t("loading")} idle={t("action.more")} />
        </button>
      </Show>
    </>
  );
}
