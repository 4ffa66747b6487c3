import { A } from "@solidjs/router";
import { createSignal, For, Show } from "solid-js";
import { post } from "../../data/api";
import { formatChinaTime } from "../../data/china-time";
import type { ActivityView, NoticeSent, Signup } from "../../data/types";
import { fieldProblem } from "../../i18n/explain";
import { formatMinutes, locale, t } from "../../i18n";
import { Busy, createAction, Outcome } from "../../ui/action";
import { Field } from "../../ui/field";
import { PhotoField } from "../../ui/photo-field";
import { ta } from "../../i18n/activities";

/** The API's limit on one activity (functions/core/photos.ts). */
const maxPhotos = 9;

const measured = (s: Signup) =>
  s.checkIn && s.checkOut ? Math.max(0, Math.floor((Date.parse(s.checkOut.at) - Date.parse(s.checkIn.at)) / 60_000)) : undefined;

/** Where one sign-up stands, in a few words. */
function attendanceOf(s: Signup, when: (iso: string) => string) {
  const parts = [
    s.walkIn ? ta("attendance.walkIn") : undefined,
    s.checkIn ? ta("activity.inAt", { at: when(s.checkIn.at) }) : undefined,
    s.checkOut ? ta("activity.outAt", { at: when(s.checkOut.at) }) : undefined,
    s.absentAt ? ta("attendance.absent") : undefined,
    s.creditedAt ? ta("attendance.credited", { d: formatMinutes(s.creditedMinutes ?? 0) }) : undefined,
  ].filter(Boolean);
  return parts.length ? parts.join(" · ") : ta("attendance.notYet");
}

/**
 * Staff on an activity: its poster, who signed up per team and how they attended, verification,
 * photos added before or after it (its 图文 record), and a notice to its people.
 */
export default function StaffPart(props: { activity: ActivityView; onChange: (a: ActivityView) => void }) {
  const a = () => props.activity;
  const when = (iso: string) => formatChinaTime(iso, locale());
  const teamName = (team: string | null) => team ?? (a().teams?.length ? ta("attendance.noTeam") : ta("attendance.everyone"));
  const signupsOf = (team: string | null) => (a().signups ?? []).filter((s) => (s.team ?? null) === team);

  const [minutes, setMinutes] = createSignal<Record<string, string>>({});
  const [reason, setReason] = createSignal("");
  const verify = createAction();
  const given = () => {
    const out: Record<string, number> = {};
    for (const s of a().signups ?? []) {
      const typed = minutes()[s.memberId];
      if (s.checkIn && typed !== undefined && typed !== "" && Number(typed) !== measured(s)) out[s.memberId] = Number(typed);
    }
    return out;
  };
  const sendVerify = async (e: Event) => {
    e.preventDefault();
    const own = given();
    const next = await verify.run(
      () =>
        post<ActivityView>(`/api/activities/${a().id}/verify`, {
          minutes: Object.keys(own).length ? own : undefined,
          reason: reason().trim() || undefined,
        }),
      ta("attendance.verified"),
    );
    if (next) props.onChange(next);
  };

  const [keys, setKeys] = createSignal<string[]>([]);
  const [uploading, setUploading] = createSignal(false);
  // A new picker after each addition: the photos just added leave it.
  const [round, setRound] = createSignal(1);
  const photos = createAction();
  const sendPhotos = async (e: Event) => {
    e.preventDefault();
    if (uploading() || keys().length === 0) return;
    const next = await photos.run(() => post<ActivityView>(`/api/activities/${a().id}/photos`, { photos: keys() }), ta("photos.added"));
    if (next) {
      setKeys([]);
      setRound((n) => n + 1);
      props.onChange(next);
    }
  };

  const [text, setText] = createSignal("");
  const [sms, setSms] = createSignal(false);
  const notice = createAction();
  const [sentTo, setSentTo] = createSignal<number>();
  const sendNotice = async (e: Event) => {
    e.preventDefault();
    setSentTo(undefined);
    const out = await notice.run(() => post<NoticeSent>("/api/notices", { activityId: a().id, text: text().trim(), sms: sms() }));
    if (out) {
      setText("");
      setSentTo(out.recipients);
    }
  };

  return (
    <div class="actions">
      <A href={`/activities/${a().id}/poster`} class="button secondary wide">
        {ta("poster.open")}
      </A>

      <section class="panel" aria-labelledby="attendance-title">
        <h2 id="attendance-title">{ta("attendance.title")}</h2>
        <Show when={a().attendance}>
          {(n) => (
            <dl class="figures">
              <div>
                <dt>{ta("attendance.signedUp")}</dt>
                <dd>{n().signedUp}</dd>
              </div>
              <div>
                <dt>{ta("attendance.checkedIn")}</dt>
                <dd>{n().checkedIn}</dd>
              </div>
              <div>
                <dt>{ta("attendance.checkedOut")}</dt>
                <dd>{n().checkedOut}</dd>
              </div>
              <div>
                <dt>{ta("attendance.absentCount")}</dt>
                <dd>{n().absent}</dd>
              </div>
            </dl>
          )}
        </Show>
        <Show when={(a().signups ?? []).length === 0}>
          <p class="muted">{ta("attendance.none")}</p>
        </Show>
        <For each={a().byTeam ?? []}>
          {(group) => (
            <Show when={group.signedUp > 0 || group.team !== null}>
              <h3>
                {teamName(group.team)} · {ta("attendance.teamCounts", { n: group.signedUp, in: group.checkedIn, absent: group.absent })}
              </h3>
              <ul class="attendance">
                <For each={signupsOf(group.team)}>
                  {(s) => (
                    <li>
                      <strong>{s.memberName}</strong>
                      <span>{attendanceOf(s, when)}</span>
                      <Show when={s.comment}>
                        <span class="pre">「{s.comment}」</span>
                      </Show>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          )}
        </For>
      </section>

      <Outcome action={verify} />
      <Show when={a().status === "closed"}>
        <form class="panel" onSubmit={sendVerify} aria-labelledby="verify-title">
          <h2 id="verify-title">{ta("attendance.verifyTitle")}</h2>
          <p class="hint">{ta("attendance.verifyHint")}</p>
          <For each={(a().signups ?? []).filter((s) => s.checkIn)}>
            {(s) => (
              <Field
                label={t("staff.minutesFor", { name: s.memberName })}
                hint={measured(s) === undefined ? t("credit.noCheckOut") : t("staff.measured", { d: formatMinutes(measured(s)!) })}
                type="number"
                inputmode="numeric"
                min={0}
                max={1440}
                value={minutes()[s.memberId] ?? String(measured(s) ?? "")}
                onValue={(v) => setMinutes((m) => ({ ...m, [s.memberId]: v }))}
                problem={fieldProblem(verify.error(), `minutes.${s.memberId}`)}
              />
            )}
          </For>
          <Field
            label={t("staff.verifyReason")}
            multiline
            maxLength={500}
            required={Object.keys(given()).length > 0}
            value={reason()}
            onValue={setReason}
            problem={fieldProblem(verify.error(), "reason")}
          />
          <button type="submit" class="primary wide" disabled={verify.busy()} aria-busy={verify.busy()}>
            <Busy when={verify.busy()} working={t("working")} idle={ta("attendance.verify")} />
          </button>
        </form>
      </Show>

      <Show when={a().photos.length < maxPhotos}>
        <form class="panel" onSubmit={sendPhotos} aria-labelledby="photos-title">
          <h2 id="photos-title">{ta("photos.title")}</h2>
          <p class="hint">{ta("photos.hint", { max: maxPhotos })}</p>
          <Show when={round()} keyed>
            {(_round) => <PhotoField purpose="activity" max={maxPhotos - a().photos.length} onKeys={setKeys} onBusy={setUploading} />}
          </Show>
          <button
            type="submit"
            class="primary wide"
            disabled={photos.busy() || uploading() || keys().length === 0}
            aria-busy={photos.busy()}
          >
            <Busy when={photos.busy()} working={t("working")} idle={ta("photos.add")} />
          </button>
          <Outcome action={photos} />
        </form>
      </Show>

      <form class="panel" onSubmit={sendNotice} aria-labelledby="notice-title">
        <h2 id="notice-title">{ta("notice.title")}</h2>
        <p class="hint">{ta("notice.hint")}</p>
        <Field
          label={ta("notice.text")}
          multiline
          required
          maxLength={300}
          value={text()}
          onValue={setText}
          problem={fieldProblem(notice.error(), "text")}
        />
        <label class="check">
          <input type="checkbox" checked={sms()} onChange={(e) => setSms(e.currentTarget.checked)} />
          <span>{ta("notice.sms")}</span>
        </label>
        <button type="submit" class="primary wide" disabled={notice.busy() || !text().trim()} aria-busy={notice.busy()}>
          <Busy when={notice.busy()} working={t("working")} idle={ta("notice.send")} />
        </button>
        <Outcome action={notice} />
        <div role="status" aria-live="polite" class="sr-status">
          <Show when={sentTo() !== undefined}>
            <p class="notice ok">{ta("notice.sentTo", { n: sentTo()! })}</p>
          </Show>
        </div>
      </form>
    </div>
  );
}
