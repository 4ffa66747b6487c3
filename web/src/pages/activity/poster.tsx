import { A, useParams } from "@solidjs/router";
import { createResource, Show } from "solid-js";
import { fetchApi } from "../../data/api";
import { explainLoad } from "../../i18n/explain";
import { t } from "../../i18n";
import { PageTitle } from "../../ui/page-title";
import { ta } from "../../i18n/activities";

interface Poster {
  org: string;
  title: string;
  when: string;
  where: string;
  scan: string;
  link: string;
  rules: string;
  qr: SVGSVGElement;
}

/**
 * The API's A4 poster, read with the staff member's sign-in and laid out by the app for printing
 * (the app's own styles: a page the API serves runs none of them, and needs the sign-in besides).
 * The QR code is the API's own drawing, carrying the token only the poster holds.
 */
async function loadPoster(id: string): Promise<Poster> {
  const res = await fetchApi(`/api/activities/${encodeURIComponent(id)}/poster`, { headers: { accept: "text/html" } });
  const doc = new DOMParser().parseFromString(await res.text(), "text/html");
  const text = (selector: string) => doc.querySelector(selector)?.textContent?.trim() ?? "";
  const svg = doc.querySelector(".qr svg");
  if (!svg) throw new Error("poster without a QR code");
  const qr = document.importNode(svg, true) as SVGSVGElement;
  qr.setAttribute("aria-hidden", "true");
  return {
    org: text(".org"),
    title: text("h1"),
    when: text(".when"),
    where: text(".where"),
    scan: text(".scan"),
    link: text(".link"),
    rules: text(".rules"),
    qr,
  };
}

/** The sign-in poster of an activity, to print (staff). */
export default function PosterPage() {
  const params = useParams();
  const [poster, { refetch }] = createResource(() => params.id, loadPoster);
  return (
    <section class="page" aria-labelledby="poster-title">
      <div class="noprint">
        <PageTitle id="poster-title">{ta("poster.title")}</PageTitle>
        <p class="hint">{ta("poster.hint")}</p>
        <div class="row">
          <A href={`/activities/${params.id}`} class="button secondary">
            {t("action.back")}
          </A>
          <button type="button" class="primary" onClick={() => print()} disabled={poster.state !== "ready"}>
            {ta("poster.print")}
          </button>
        </div>
      </div>
      <Show when={poster.state === "errored" && poster.error}>
        <div class="notice error" role="alert">
          <p>{explainLoad(poster.error)}</p>
          <button type="button" class="secondary" onClick={() => refetch()}>
            {t("action.retry")}
          </button>
        </div>
      </Show>
      <Show when={poster.state === "pending"}>
        <p role="status" class="muted">
          {t("loading")}
        </p>
      </Show>
      <Show when={poster.state === "ready" && poster()}>
        {(p) => (
          <article class="poster" lang="zh-CN">
            <p class="poster-org">{p().org}</p>
            <p class="poster-title">{p().title}</p>
            <p class="poster-line">{p().when}</p>
            <p class="poster-line">{p().where}</p>
            <div class="poster-qr" role="img" aria-label={ta("poster.qr")}>
              {p().qr}
            </div>
            <p class="poster-scan">{p().scan}</p>
            <p class="poster-link">{p().link}</p>
            <p class="poster-rules">{p().rules}</p>
          </article>
        )}
      </Show>
    </section>
  );
}
