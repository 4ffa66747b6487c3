import { createResource, createSignal, For, Show } from "solid-js";
import { loadPreferences, savePreferences, type Preferences } from "../data/preferences";
import { community, roles } from "../data/session";
import type { Role } from "../data/types";
import { explain } from "../i18n/explain";
import { locale, setLocale, t, type Key } from "../i18n";
import { Busy, createAction, Outcome } from "../ui/action";
import { PageTitle } from "../ui/page-title";

/** Which notices reach a person by SMS, grouped by the role that receives them. */
const kindsByRole: Record<Role, Preferences["sms"]> = {
  resident: [
    "wish-approved",
    "wish-rejected",
    "wish-claimed",
    "wish-released",
    "wish-started",
    "wish-completed",
    "wish-cancelled",
    "wish-expired",
  ],
  member: [
    "task-dispatched",
    "task-confirmed",
    "task-cancelled",
    "task-reminder",
    "task-lapsing",
    "task-lapsed",
    "task-takeover-asked",
    "task-handed-over",
    "task-taken-over",
    "task-disputed",
    "task-verified",
    "grid-wish-posted",
    "menu-ordered",
  ],
  staff: ["review-needed", "dispatch-declined", "wish-waiting", "claim-lapsed", "claim-extended", "takeover-requested"],
};

/** What reaches the person by text message (everything also lands in the app), and which new wishes a volunteer hears of. */
export default function Settings() {
  const [prefs, { mutate }] = createResource(loadPreferences);
  const save = createAction();
  const [dirty, setDirty] = createSignal(false);
  const change = (next: Preferences) => {
    mutate(next);
    setDirty(true);
  };
  const toggle = <T extends string>(list: T[], item: T, on: boolean) =>
    on ? [...new Set([...list, item])] : list.filter((x) => x !== item);
  const submit = async (e: Event) => {
    e.preventDefault();
    const p = prefs();
    if (!p) return;
    const saved = await save.run(() => savePreferences({ ...p, lang: locale() }), t("settings.saved"));
    if (saved) {
      mutate({ lang: saved.lang, sms: saved.sms, categories: saved.categories });
      setDirty(false);
    }
  };
  return (
    <section class="page" aria-labelledby="settings-title">
      <PageTitle id="settings-title">{t("settings.title")}</PageTitle>
      <Show when={prefs.error}>
        <p class="notice error" role="alert">
          {explain(prefs.error)}
        </p>
      </Show>
      <Show when={prefs.latest}>
        {(p) => (
          <form onSubmit={submit}>
            <fieldset class="chips">
              <legend>{t("settings.language")}</legend>
              <label class="chip">
                <input type="radio" name="lang" checked={locale() === "zh-CN"} onChange={() => (setLocale("zh-CN"), setDirty(true))} />
                <span lang="zh-CN">中文</span>
              </label>
              <label class="chip">
                <input type="radio" name="lang" checked={locale() === "en"} onChange={() => (setLocale("en"), setDirty(true))} />
                <span lang="en">English</span>
              </label>
            </fieldset>
            <p class="hint">{t("settings.smsHint")}</p>
            <For each={(["resident", "member", "staff"] as Role[]).filter((r) => roles().includes(r))}>
              {(r) => (
                <fieldset class="pick">
                  <legend>{t(`settings.sms.${r}` as Key)}</legend>
                  <For each={kindsByRole[r]}>
                    {(kind) => (
                      <label class="check">
                        <input
                          type="checkbox"
                          checked={p().sms.includes(kind)}
                          onChange={(e) => change({ ...p(), sms: toggle(p().sms, kind, e.currentTarget.checked) })}
                        />
                        <span>{t(`notice.${kind}` as Key)}</span>
                      </label>
                    )}
                  </For>
                </fieldset>
              )}
            </For>
            <Show when={roles().includes("member")}>
              <fieldset class="pick">
                <legend>{t("settings.categories")}</legend>
                <p class="hint">{t("settings.categoriesHint")}</p>
                <For each={community()?.categories ?? []}>
                  {(c) => (
                    <label class="check">
                      <input
                        type="checkbox"
                        checked={p().categories.includes(c.code)}
                        onChange={(e) => change({ ...p(), categories: toggle(p().categories, c.code, e.currentTarget.checked) })}
                      />
                      <span>{c.name[locale()]}</span>
                    </label>
                  )}
                </For>
              </fieldset>
            </Show>
            <button type="submit" class="primary wide" disabled={save.busy() || !dirty()} aria-busy={save.busy()}>
              <Busy when={save.busy()} working={t("working")} idle={t("settings.save")} />
            </button>
            <Outcome action={save} />
          </form>
        )}
      </Show>
    </section>
  );
}
