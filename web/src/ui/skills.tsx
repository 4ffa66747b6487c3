import { createSignal, For, Show } from "solid-js";
import { saveProfile } from "../data/profile";
import { community, me } from "../data/session";
import { fieldProblem } from "../i18n/explain";
import { locale, t } from "../i18n";
import { Busy, createAction, Outcome } from "./action";

/** As the API limits them (functions/core/model.ts): at most 10 skills of at most 20 characters. */
const maxSkills = 10;
const maxLength = 20;

/** A member's skills: chips from the community's list plus their own words, saved with PUT /api/me. */
export function Skills() {
  const [chosen, setChosen] = createSignal<string[]>(me()?.skills ?? []);
  const [own, setOwn] = createSignal("");
  const save = createAction();
  const catalogue = () => community()?.skills ?? [];
  const listed = (name: string) => catalogue().some((s) => s.name === name);
  const full = () => chosen().length >= maxSkills;
  const toggle = (name: string, on: boolean) => setChosen((list) => (on ? [...list, name] : list.filter((s) => s !== name)));
  const addOwn = () => {
    const word = own().trim();
    if (!word || full() || [...word].length > maxLength || chosen().includes(word)) return;
    setChosen((list) => [...list, word]);
    setOwn("");
  };

  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        await save.run(() => saveProfile({ skills: chosen() }), t("skills.saved"));
      }}
      novalidate
    >
      <fieldset class="chips wrap">
        <legend>{t("skills.title")}</legend>
        <p class="hint">{t("skills.hint", { max: maxSkills, length: maxLength })}</p>
        <For each={catalogue()}>
          {(s) => (
            <label class="chip">
              <input
                type="checkbox"
                checked={chosen().includes(s.name)}
                disabled={full() && !chosen().includes(s.name)}
                onChange={(e) => toggle(s.name, e.currentTarget.checked)}
              />
              <span>{locale() === "en" ? s.en : s.name}</span>
            </label>
          )}
        </For>
        <For each={chosen().filter((s) => !listed(s))}>
          {(s) => (
            <label class="chip">
              <input type="checkbox" checked onChange={() => toggle(s, false)} />
              <span>{s}</span>
            </label>
          )}
        </For>
      </fieldset>
      <div class="field">
        <label for="skills-own">{t("skills.own")}</label>
        <div class="row">
          <input
            id="skills-own"
            maxLength={maxLength}
            value={own()}
            disabled={full()}
            onInput={(e) => setOwn(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                addOwn();
              }
            }}
          />
          <button type="button" class="secondary" onClick={addOwn} disabled={full() || !own().trim()}>
            {t("skills.add")}
          </button>
        </div>
        <Show when={full()}>
          <p class="hint">{t("skills.full", { max: maxSkills })}</p>
        </Show>
        <Show when={fieldProblem(save.error(), "skills")}>{(p) => <p class="problem">{p()}</p>}</Show>
      </div>
      <button type="submit" class="primary wide" disabled={save.busy()} aria-busy={save.busy()}>
        <Busy when={save.busy()} working={t("working")} idle={t("skills.save")} />
      </button>
      <Outcome action={save} />
    </form>
  );
}
