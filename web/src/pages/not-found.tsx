import { A } from "@solidjs/router";
import { homeOf, role } from "../data/session";
import { t } from "../i18n";

export default function NotFound() {
  return (
    <section class="page" aria-labelledby="nf-title">
      <h1 id="nf-title">{t("notFound.title")}</h1>
      <p>
        <A href={homeOf(role())}>{t("notFound.home")}</A>
      </p>
    </section>
  );
}
