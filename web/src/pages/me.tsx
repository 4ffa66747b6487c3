import { A, useNavigate } from "@solidjs/router";
import { createSignal, For, Show } from "solid-js";
import { rememberLanguage } from "../data/preferences";
import { saveProfile } from "../data/profile";
import { endSession } from "../data/api";
import { chooseRole, homeOf, me, role, roles, token } from "../data/session";
import type { Locale, Role } from "../data/types";
import { fieldProblem } from "../i18n/explain";
import { locale, setLocale, t, type Key } from "../i18n";
import { Busy, createAction, Outcome } from "../ui/action";
import { Field } from "../ui/field";
import { PageTitle } from "../ui/page-title";
import { Skills } from "../ui/skills";

/** 我的: the person's name and address, language, notification settings, which role they act in, and sign-out. */
export default function MePage() {
  const navigate = useNavigate();
  const [name, setName] = createSignal(me()?.named ? me()!.name : "");
  const [address, setAddress] = createSignal(me()?.address ?? "");
  const save = createAction();

  const submit = async (e: Event) => {
    e.preventDefault();
    const change = { name: name().trim() || undefined, address: address().trim() || undefined };
    await save.run(() => saveProfile(change), t("me.saved"));
  };
  const switchLanguage = (next: Locale) => {
    setLocale(next);
    if (token()) rememberLanguage(next).catch(() => undefined);
  };
  /** Staff of a unit or a community, or an administrator: they manage the organisation. */
  const serves = () => {
    const who = me();
    return Boolean(
      who && (who.admin || who.units.some((u) => u.roles.includes("staff")) || who.communities.some((m) => m.roles.includes("staff"))),
    );
  };
  const switchRole = (r: Role) => {
    chooseRole(r);
    navigate(homeOf(r));
  };

  return (
    <section class="page narrow" aria-labelledby="me-title">
      <PageTitle id="me-title">{t("me.title")}</PageTitle>
      <Show when={me()}>
        {(who) => (
          <p class="lead">
            {who().named ? who().name : t("me.unnamed")} · {who().phone.replace(/^\+86/, "")}
          </p>
        )}
      </Show>
      <form onSubmit={submit} novalidate>
        <Field
          label={t("me.name")}
          hint={t("me.nameHint")}
          autocomplete="name"
          maxLength={40}
          value={name()}
          onValue={setName}
          problem={fieldProblem(save.error(), "name")}
        />
        <Field
          label={t("me.address")}
          hint={t("me.addressHint")}
          autocomplete="street-address"
          maxLength={200}
          value={address()}
          onValue={setAddress}
          problem={fieldProblem(save.error(), "address")}
        />
        <button type="submit" class="primary wide" disabled={save.busy()} aria-busy={save.busy()}>
          <Busy when={save.busy()} working={t("working")} idle={t("me.save")} />
        </button>
        <Outcome action={save} />
      </form>

      <Show when={roles().includes("member")}>
        <Skills />
      </Show>

      <fieldset class="chips">
        <legend>{t("settings.language")}</legend>
        <label class="chip">
          <input type="radio" name="me-lang" checked={locale() === "zh-CN"} onChange={() => switchLanguage("zh-CN")} />
          <span lang="zh-CN">中文</span>
        </label>
        <label class="chip">
          <input type="radio" name="me-lang" checked={locale() === "en"} onChange={() => switchLanguage("en")} />
          <span lang="en">English</span>
        </label>
      </fieldset>

      <Show when={roles().length > 1}>
        <div class="roles" role="group" aria-label={t("role.switch")}>
          <For each={roles()}>
            {(r) => (
              <button type="button" aria-pressed={role() === r} onClick={() => switchRole(r)}>
                {t(`role.${r}` as Key)}
              </button>
            )}
          </For>
        </div>
      </Show>

      <ul class="menu">
        <li>
          <A href="/settings">{t("me.notifications")}</A>
        </li>
        <li>
          <A href="/notifications">{t("me.inbox")}</A>
        </li>
        <li>
          <A href="/voices">{t("nav.voices")}</A>
        </li>
        <li>
          <A href="/menu">{t("nav.menu")}</A>
        </li>
        <li>
          <A href="/join">{t("me.join")}</A>
        </li>
        <Show when={serves()}>
          <li>
            <A href="/organisation">{t("me.organisation")}</A>
          </li>
        </Show>
      </ul>

      <button
        type="button"
        class="wide"
        onClick={() => {
          endSession();
          navigate("/signin");
        }}
      >
        {t("action.signOut")}
      </button>
    </section>
  );
}
