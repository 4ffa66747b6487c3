import { useNavigate } from "@solidjs/router";
import { createSignal, For, Show } from "solid-js";
import { ApiError, post } from "../../data/api";
import { fromChinaInput } from "../../data/china-time";
import { currentPosition, GeoError } from "../../data/geo";
import { community, communityId } from "../../data/session";
import type { ActivityView, NewActivity } from "../../data/types";
import { fieldProblem } from "../../i18n/explain";
import { formatDistance, t } from "../../i18n";
import { Busy, createAction, Outcome } from "../../ui/action";
import { Field } from "../../ui/field";
import { PageTitle } from "../../ui/page-title";
import { PhotoField } from "../../ui/photo-field";
import { ta } from "../../i18n/activities";

const coordinate = (v: string) => (v.trim() === "" || Number.isNaN(Number(v)) ? undefined : Number(v));

/**
 * Staff post an activity: what, where (the place's position is the check-in fence's centre:
 * taken from the phone there, or typed), when (China time, as the poster prints it), how many
 * places (empty: unlimited), teams, the branches invited (none ticked: every member) and photos
 * (shrunk on the phone and uploaded before the form is sent).
 */
export default function ActivityPost() {
  const navigate = useNavigate();
  const [title, setTitle] = createSignal("");
  const [description, setDescription] = createSignal("");
  const [address, setAddress] = createSignal("");
  const [lat, setLat] = createSignal("");
  const [lng, setLng] = createSignal("");
  const [accuracy, setAccuracy] = createSignal<number>();
  const [from, setFrom] = createSignal("");
  const [to, setTo] = createSignal("");
  const [places, setPlaces] = createSignal("");
  const [teams, setTeams] = createSignal("");
  const [branches, setBranches] = createSignal<string[]>([]);
  const [missing, setMissing] = createSignal<string[]>([]);
  const [photos, setPhotos] = createSignal<string[]>([]);
  const [uploading, setUploading] = createSignal(false);
  const locate = createAction();
  const submit = createAction();

  const useHere = () =>
    locate.run(async () => {
      try {
        const fix = await currentPosition();
        setLat(fix.lat.toFixed(6));
        setLng(fix.lng.toFixed(6));
        setAccuracy(fix.accuracy);
      } catch (err) {
        throw new ApiError(0, err instanceof GeoError ? `geo.${err.reason}` : "geo.unavailable", "");
      }
    });

  const send = async (e: Event) => {
    e.preventDefault();
    if (uploading()) return;
    const window = { from: fromChinaInput(from()), to: fromChinaInput(to()) };
    const location = { lat: coordinate(lat()), lng: coordinate(lng()) };
    const gaps = [
      !title().trim() && "title",
      !description().trim() && "description",
      !address().trim() && "address",
      (location.lat === undefined || location.lng === undefined) && "location",
      !window.from && "window.from",
      !window.to && "window.to",
    ].filter(Boolean) as string[];
    setMissing(gaps);
    if (gaps.length) {
      document.getElementById(`activity-${gaps[0].replace(".", "-")}`)?.focus();
      return;
    }
    const teamNames = teams()
      .split(/[,，、\n]/)
      .map((s) => s.trim())
      .filter(Boolean);
    const body: NewActivity = {
      title: title().trim(),
      description: description().trim(),
      address: address().trim(),
      location: { lat: location.lat!, lng: location.lng! },
      window: { from: window.from!, to: window.to! },
      places: places().trim() ? Number(places()) : undefined,
      teams: teamNames.length ? teamNames : undefined,
      branchIds: branches().length ? branches() : undefined,
      photos: photos().length ? photos() : undefined,
    };
    const made = await submit.run(() => post<ActivityView>(`/api/communities/${communityId()}/activities`, body));
    if (made) navigate(`/activities/${made.id}?posted=1`);
  };

  const problem = (field: string, ...more: string[]) =>
    missing().includes(field) ? t("post.required") : fieldProblem(submit.error(), field, ...more);

  return (
    <section class="page" aria-labelledby="activity-post-title">
      <PageTitle id="activity-post-title">{ta("activityPost.title")}</PageTitle>
      <Show when={communityId()} fallback={<p class="notice">{t("post.noCommunity")}</p>}>
        <form onSubmit={send} novalidate>
          <Field
            id="activity-title"
            label={ta("activityPost.name")}
            required
            maxLength={80}
            value={title()}
            onValue={setTitle}
            problem={problem("title")}
          />
          <Field
            id="activity-description"
            label={ta("activityPost.description")}
            multiline
            required
            maxLength={2000}
            value={description()}
            onValue={setDescription}
            problem={problem("description")}
          />
          <Field
            id="activity-address"
            label={ta("activityPost.address")}
            hint={ta("activityPost.addressHint")}
            required
            maxLength={200}
            value={address()}
            onValue={setAddress}
            problem={problem("address")}
          />
          <fieldset class="window" id="activity-location" tabindex="-1">
            <legend>{ta("activityPost.position")}</legend>
            <p class="hint">{ta("activityPost.positionHint")}</p>
            <button type="button" class="secondary" onClick={useHere} disabled={locate.busy()} aria-busy={locate.busy()}>
              <Busy when={locate.busy()} working={t("geo.locating")} idle={ta("activityPost.useHere")} />
            </button>
            <Show when={accuracy()}>
              {(m) => (
                <p class="hint" role="status">
                  {t("post.located", { accuracy: formatDistance(m()) })}
                </p>
              )}
            </Show>
            <Outcome action={locate} />
            <Field
              label={ta("activityPost.lat")}
              inputmode="decimal"
              value={lat()}
              onValue={setLat}
              problem={problem("location", "location.lat")}
            />
            <Field label={ta("activityPost.lng")} inputmode="decimal" value={lng()} onValue={setLng} problem={problem("location.lng")} />
          </fieldset>
          <fieldset class="window">
            <legend>{ta("activityPost.window")}</legend>
            <p class="hint">{ta("activityPost.windowHint")}</p>
            <Field
              id="activity-window-from"
              label={t("post.from")}
              type="datetime-local"
              value={from()}
              onValue={setFrom}
              problem={problem("window.from", "window")}
            />
            <Field
              id="activity-window-to"
              label={t("post.to")}
              type="datetime-local"
              value={to()}
              onValue={setTo}
              problem={problem("window.to")}
            />
          </fieldset>
          <Field
            label={ta("activityPost.places")}
            hint={ta("activityPost.placesHint")}
            type="number"
            inputmode="numeric"
            min={1}
            max={10000}
            value={places()}
            onValue={setPlaces}
            problem={problem("places")}
          />
          <Field
            label={ta("activityPost.teams")}
            hint={ta("activityPost.teamsHint")}
            maxLength={800}
            value={teams()}
            onValue={setTeams}
            problem={problem("teams")}
          />
          <Show when={(community()?.branches ?? []).length > 0}>
            <fieldset class="pick">
              <legend>{ta("activityPost.branches")}</legend>
              <p class="hint">{ta("activityPost.branchesHint")}</p>
              <For each={community()?.branches ?? []}>
                {(b) => (
                  <label class="check">
                    <input
                      type="checkbox"
                      checked={branches().includes(b.id)}
                      onChange={(e) => setBranches((now) => (e.currentTarget.checked ? [...now, b.id] : now.filter((x) => x !== b.id)))}
                    />
                    <span>{b.name}</span>
                  </label>
                )}
              </For>
            </fieldset>
          </Show>
          <PhotoField purpose="activity" onKeys={setPhotos} onBusy={setUploading} />
          <button type="submit" class="primary wide" disabled={submit.busy() || uploading()} aria-busy={submit.busy()}>
            <Busy when={submit.busy()} working={t("working")} idle={ta("activityPost.submit")} />
          </button>
          <Outcome action={submit} />
        </form>
      </Show>
    </section>
  );
}
