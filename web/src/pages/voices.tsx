import { useNavigate } from "@solidjs/router";
import { createSignal, For, Show } from "solid-js";
import { post } from "../data/api";
import { createPaged } from "../data/paged";
import { community, communityId, roles } from "../data/session";
import type { Voice, Wish } from "../data/types";
import { fieldProblem } from "../i18n/explain";
import { formatDateTime, locale, t } from "../i18n";
import { Busy, createAction, Outcome } from "../ui/action";
import { Field } from "../ui/field";
import { ListState } from "../ui/list-state";
import { PageTitle } from "../ui/page-title";
import { tVoices } from "../i18n/voices";

const base = () => (communityId() ? `/api/communities/${encodeURIComponent(communityId()!)}/voices` : undefined);

/**
 * 微心声: what residents say to their community. Anyone leaves a message; the answered ones are the
 * community's public page; staff see the new ones, answer each, or make a wish of it.
 */
export default function Voices() {
  const staff = () => roles().includes("staff");
  const answered = createPaged<Voice>(() => base() && `${base()}?status=answered`);
  const waiting = createPaged<Voice>(() => (staff() && base() ? `${base()}?status=new` : undefined));
  const [text, setText] = createSignal("");
  const say = createAction();

  const send = async (e: Event) => {
    e.preventDefault();
    const sent = await say.run(() => post<Voice>(base()!, { text: text().trim() }), tVoices("voices.sent"));
    if (sent) {
      setText("");
      waiting.reload();
    }
  };

  return (
    <section class="page" aria-labelledby="voices-title">
      <PageTitle id="voices-title">{tVoices("voices.title")}</PageTitle>
      <p class="lead">{tVoices("voices.lead", { community: community()?.name ?? "" })}</p>
      <form onSubmit={send} novalidate>
        <Field
          label={tVoices("voices.say")}
          hint={tVoices("voices.sayHint")}
          multiline
          required
          maxLength={500}
          value={text()}
          onValue={setText}
          problem={fieldProblem(say.error(), "text")}
        />
        <button type="submit" class="primary wide" disabled={say.busy()} aria-busy={say.busy()}>
          <Busy when={say.busy()} working={t("working")} idle={tVoices("voices.send")} />
        </button>
        <Outcome action={say} />
      </form>

      <Show when={staff()}>
        <h2 id="voices-new">{tVoices("voices.waiting")}</h2>
        <ul class="cards" aria-labelledby="voices-new">
          <For each={waiting.items()}>{(v) => <WaitingVoice voice={v} onDone={() => (waiting.reload(), answered.reload())} />}</For>
        </ul>
        <ListState list={waiting} empty={tVoices("voices.noneWaiting")} />
      </Show>

      <h2 id="voices-answered">{tVoices("voices.answered")}</h2>
      <ul class="cards" aria-labelledby="voices-answered">
        <For each={answered.items()}>
          {(v) => (
            <li class="card voice">
              <p>
                <strong>{v.authorName}</strong> <span class="muted">{formatDateTime(v.createdAt)}</span>
              </p>
              <p class="voice-text">{v.text}</p>
              <Show when={v.answer}>
                {(a) => (
                  <blockquote class="answer">
                    <p class="muted">{tVoices("voices.answerBy", { name: a().byName })}</p>
                    <p>{a().text}</p>
                  </blockquote>
                )}
              </Show>
            </li>
          )}
        </For>
      </ul>
      <ListState list={answered} empty={tVoices("voices.noneAnswered")} />
    </section>
  );
}

/** A new message as staff see it: answer it in public, or make a wish of it in one step. */
function WaitingVoice(props: { voice: Voice; onDone: () => void }) {
  const navigate = useNavigate();
  const [reply, setReply] = createSignal("");
  const [category, setCategory] = createSignal("");
  const answer = createAction();
  const toWish = createAction();
  const v = () => props.voice;
  return (
    <li class="card voice">
      <p>
        <strong>{v().authorName}</strong> <span class="muted">{formatDateTime(v().createdAt)}</span>
      </p>
      <p class="voice-text">{v().text}</p>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          if (await answer.run(() => post(`/api/voices/${v().id}/answer`, { text: reply().trim() }), tVoices("voices.answerSent")))
            props.onDone();
        }}
        novalidate
      >
        <Field
          label={tVoices("voices.reply")}
          multiline
          maxLength={1000}
          value={reply()}
          onValue={setReply}
          problem={fieldProblem(answer.error(), "text")}
        />
        <button type="submit" class="primary" disabled={answer.busy()} aria-busy={answer.busy()}>
          <Busy when={answer.busy()} working={t("working")} idle={tVoices("voices.answerIt")} />
        </button>
        <Outcome action={answer} />
      </form>
      <Show when={!v().wishId}>
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            const wish = await toWish.run(() => post<Wish>(`/api/voices/${v().id}/wish`, { category: category() }));
            if (wish) navigate(`/wishes/${wish.id}`);
          }}
          novalidate
        >
          <div class="field">
            <label for={`cat-${v().id}`}>{tVoices("voices.category")}</label>
            <select id={`cat-${v().id}`} value={category()} onChange={(e) => setCategory(e.currentTarget.value)}>
              <option value="">{tVoices("voices.pickCategory")}</option>
              <For each={community()?.categories ?? []}>{(c) => <option value={c.code}>{c.name[locale()]}</option>}</For>
            </select>
          </div>
          <button type="submit" class="secondary" disabled={toWish.busy() || !category()} aria-busy={toWish.busy()}>
            <Busy when={toWish.busy()} working={t("working")} idle={tVoices("voices.makeWish")} />
          </button>
          <Outcome action={toWish} />
        </form>
      </Show>
    </li>
  );
}
