import { createSignal, For, Show } from "solid-js";
import { request } from "../data/api";
import { communityId } from "../data/session";
import type { ImportReport } from "../data/types";
import { formatNumber, t } from "../i18n";
import { Busy, createAction, Outcome } from "../ui/action";
import { PageTitle } from "../ui/page-title";
import { tImport } from "../i18n/import-messages";

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
      tImport("import.done"),
    );
    if (out) setReport(out);
  };
  return (
    <section class="page" aria-labelledby="import-title">
      <PageTitle id="import-title">{tImport("import.title")}</PageTitle>
      <p class="hint">{tImport("import.hint")}</p>
      <form onSubmit={send}>
        <div class="field">
          <label for="import-file">{tImport("import.file")}</label>
          <input id="import-file" type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.currentTarget.files?.[0])} />
        </div>
        <button type="submit" class="primary wide" disabled={!file() || upload.busy()} aria-busy={upload.busy()}>
          <Busy when={upload.busy()} working={t("working")} idle={tImport("import.send")} />
        </button>
      </form>
      <Outcome action={upload} />
      <Show when={report()}>
        {(r) => (
          <section class="panel" aria-labelledby="report-title">
            <h2 id="report-title">{tImport("import.report")}</h2>
            <dl class="details">
              <dt>{tImport("import.rows")}</dt>
              <dd>{formatNumber(r().rows)}</dd>
              <dt>{tImport("import.created")}</dt>
              <dd>{formatNumber(r().created)}</dd>
              <dt>{tImport("import.updated")}</dt>
              <dd>{formatNumber(r().updated)}</dd>
              <dt>{tImport("import.unchanged")}</dt>
              <dd>{formatNumber(r().unchanged)}</dd>
              <Show when={r().branchesCreated.length}>
                <dt>{tImport("import.branches")}</dt>
                <dd>{r().branchesCreated.join(t("list.sep"))}</dd>
              </Show>
            </dl>
            <Show when={r().refused.length} fallback={<p>{tImport("import.noneRefused")}</p>}>
              <h3>{tImport("import.refused", { n: r().refused.length })}</h3>
              <ul class="refused">
                <For each={r().refused}>
                  {(row) => <li>{tImport("import.refusedRow", { row: row.row, phone: row.phone || "–", reason: row.reason })}</li>}
                </For>
              </ul>
            </Show>
          </section>
        )}
      </Show>
    </section>
  );
}
