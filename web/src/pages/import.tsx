import { createSignal, For, Show } from "solid-js";
import { request } from "../data/api";
import { communityId } from "../data/session";
import type { ImportReport } from "../data/types";
import { formatNumber, t } from "../i18n";
import { Busy, createAction, Outcome } from "../ui/action";
import { PageTitle } from "../ui/page-title";

/** Staff bring in members and branches from a CSV (phone, name, branch); the report lists each refused row and why. */
export default function Import() {
  const [file, setFile] = createSignal<File>();
  const [report, setReport] = createSignal<ImportReport>();
  const upload = createAction();
  const send = async (e: Event) => {
    e.preventDefault();
    const f = file();
    if (!f) return;
    const out = await upload.run(
      async () =>
        request<ImportReport>(`/api/communities/${communityId()}/members/import`, {
          method: "POST",
          body: await f.text(),
          headers: { "content-type": "text/csv; charset=utf-8" },
        }),
      t("import.done"),
    );
    if (out) setReport(out);
  };
  return (
    <section class="page" aria-labelledby="import-title">
      <PageTitle id="import-title">{t("import.title")}</PageTitle>
      <p class="hint">{t("import.hint")}</p>
      <form onSubmit={send}>
        <div class="field">
          <label for="import-file">{t("import.file")}</label>
          <input id="import-file" type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.currentTarget.files?.[0])} />
        </div>
        <button type="submit" class="primary wide" disabled={!file() || upload.busy()} aria-busy={upload.busy()}>
          <Busy when={upload.busy()} working={t("working")} idle={t("import.send")} />
        </button>
      </form>
      <Outcome action={upload} />
      <Show when={report()}>
        {(r) => (
          <section class="panel" aria-labelledby="report-title">
            <h2 id="report-title">{t("import.report")}</h2>
            <dl class="details">
              <dt>{t("import.rows")}</dt>
              <dd>{formatNumber(r().rows)}</dd>
              <dt>{t("import.created")}</dt>
              <dd>{formatNumber(r().created)}</dd>
              <dt>{t("import.updated")}</dt>
              <dd>{formatNumber(r().updated)}</dd>
              <dt>{t("import.unchanged")}</dt>
              <dd>{formatNumber(r().unchanged)}</dd>
              <Show when={r().branchesCreated.length}>
                <dt>{t("import.branches")}</dt>
                <dd>{r().branchesCreated.join(t("list.sep"))}</dd>
              </Show>
            </dl>
            <Show when={r().refused.length} fallback={<p>{t("import.noneRefused")}</p>}>
              <h3>{t("import.refused", { n: r().refused.length })}</h3>
              <ul class="refused">
                <For each={r().refused}>
                  {(row) => <li>{t("import.refusedRow", { row: row.row, phone: row.phone || "–", reason: row.reason })}</li>}
                </For>
              </ul>
            </Show>
          </section>
        )}
      </Show>
    </section>
  );
}
