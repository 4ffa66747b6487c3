import { createResource, For, Show } from "solid-js";
import { get } from "../data/api";
import { me } from "../data/session";
import type { LedgerEntry } from "../data/types";
import { explain } from "../i18n/explain";
import { formatDate, formatMinutes, formatNumber, t } from "../i18n";
import { categoryName } from "../ui/wish-card";

/** The member's verified hours: the total and one line per wish, as staff verified them. */
export default function Hours() {
  const [hours, { refetch }] = createResource(
    () => me()?.id,
    (id) => get<{ totalMinutes: number; entries: LedgerEntry[] }>(`/api/members/${id}/hours`),
  );
  return (
    <section class="page" aria-labelledby="hours-title">
      <h1 id="hours-title">{t("hours.title")}</h1>
      <Show when={hours.error}>
        <div class="notice error" role="alert">
          <p>{explain(hours.error)}</p>
          <button type="button" class="secondary" onClick={refetch}>
            {t("action.retry")}
          </button>
        </div>
      </Show>
      <Show when={hours.latest}>
        {(h) => (
          <>
            <p class="total">
              <span class="figure">{formatNumber(h().totalMinutes / 60, { maximumFractionDigits: 1 })}</span>
              <span>{t("hours.totalUnit")}</span>
            </p>
            <p class="hint">{t("hours.totalHint", { n: h().entries.length, d: formatMinutes(h().totalMinutes) })}</p>
            <ul class="cards">
              <For each={h().entries} fallback={<p class="empty">{t("hours.empty")}</p>}>
                {(e) => (
                  <li class="card">
                    <div class="card-head">
                      <span class="card-title">{e.content}</span>
                      <strong>{formatMinutes(e.minutes)}</strong>
                    </div>
                    <p class="meta">
                      <span>{categoryName(e.category)}</span>
                      <Show when={e.place}>
                        <span>{e.place}</span>
                      </Show>
                      <span>{formatDate(e.start ?? e.verifiedAt)}</span>
                    </p>
                    <p class="meta">
                      <span>{t("hours.verifiedBy", { who: e.verifierName, at: formatDate(e.verifiedAt) })}</span>
                    </p>
                  </li>
                )}
              </For>
            </ul>
          </>
        )}
      </Show>
    </section>
  );
}
