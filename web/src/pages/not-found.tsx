import { A } from "@solidjs/router";
import { homeOf, role } from "../data/session";
import { t } from "../i18n";
import { PageTitle } from "../ui/page-title";

export default function NotFound() {
  return (
    <section class="page" aria-labelledby="nf-title">
      <PageTitle id="nf-title">{t("notFound.title")}</PageTitle>
      <p>
        <A href={homeOf(role())}>{t("notFound.home")}</A>
      </p>
    </section>
  );
}
