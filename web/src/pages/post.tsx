import { A, useNavigate } from "@solidjs/router";
import { createResource, createSignal, For, Show } from "solid-js";
import { ApiError, get, post } from "../data/api";
import { currentPosition, GeoError, type Fix } from "../data/geo";
import { community, communityId, roles } from "../data/session";
import type { SimilarWish, Wish } from "../data/types";
import { fieldProblem } from "../i18n/explain";
import { formatAgo, formatDistance, locale, t } from "../i18n";
import { Busy, createAction, Outcome } from "../ui/action";
import { Field } from "../ui/field";
import { Icon } from "../ui/icons";
import { PageTitle } from "../ui/page-title";
import { PhotoField } from "../ui/photo-field";
import { StatusBadge } from "../ui/status-badge";

const draftKey = "mw.draft";

/** A `datetime-local` value (the phone's local time) as an ISO time with its zone. */
function toIso(local: string) {
  return new Date(local).toISOString();
}

/**
 * Post a wish: a category chip, a title and what is needed; the rest is optional. The draft is
 * kept on the phone until the wish is accepted, so neither a failed request nor a closed tab
 * loses what was typed; one Idempotency-Key per draft makes a repeated tap post once.
 */
export default function Post() {
  const navigate = useNavigate();
  const saved = (() => {
    try {
      return JSON.parse(sessionStorage.getItem(draftKey) ?? "{}");
    } catch {
      return {};
    }
  })();
  const [category, setCategory] = createSignal<string>(saved.category ?? "");
  const [title, setTitle] = createSignal<string>(saved.title ?? "");
  const [description, setDescription] = createSignal<string>(saved.description ?? "");
  const [address, setAddress] = createSignal<string>(saved.address ?? "");
  const [from, setFrom] = createSignal<string>(saved.from ?? "");
  const [to, setTo] = createSignal<string>(saved.to ?? "");
  const [fix, setFix] = createSignal<Fix | undefined>(saved.fix);
  // An order from the service menu: the item decides the category, and its branch hears first.
  const [menuItem, setMenuItem] = createSignal<{ id: string; title: string } | undefined>(
    saved.menuItemId ? { id: saved.menuItemId, title: saved.menuTitle ?? "" } : undefined,
  );
  // Staff taking a wish in for a resident who phoned or walked in: the resident's phone and name.
  const [forResident, setForResident] = createSignal<boolean>(Boolean(saved.forResident));
  const [residentPhone, setResidentPhone] = createSignal<string>(saved.residentPhone ?? "");
  const [residentName, setResidentName] = createSignal<string>(saved.residentName ?? "");
  const staff = () => roles().includes("staff");
  const takingIn = () => staff() && forResident();
  const [key] = createSignal<string>(saved.key ?? crypto.randomUUID?.() ?? `${Date.now()}-${Math.random()}`);
  const [missing, setMissing] = createSignal<string[]>([]);
  // Photos live in this visit only: the draft keeps words, not files.
  const [photos, setPhotos] = createSignal<string[]>([]);
  const [uploading, setUploading] = createSignal(false);
  const locate = createAction();
  const submit = createAction();
  // Open wishes of the same category near the position given: maybe the same thing, already on its way.
  const [similar] = createResource(
    () => {
      const at = fix();
      const id = communityId();
      return at && id && category() ? { communityId: id, category: category(), lat: String(at.lat), lng: String(at.lng) } : undefined;
    },
    (q) =>
      get<{ items: SimilarWish[] }>(`/api/wishes/similar?${new URLSearchParams(q)}`).then(
        (r) => r.items,
        // A hint only: when it cannot be had, the form goes on without it.
        () => [] as SimilarWish[],
      ),
  );
  // Staff and members may open these wishes; a resident reads the hint as it stands.
  const mayOpen = () => roles().includes("staff") || roles().includes("member");

  const keep = () => {
    try {
      sessionStorage.setItem(
        draftKey,
        JSON.stringify({
          category: category(),
          title: title(),
          description: description(),
          address: address(),
          from: from(),
          to: to(),
          fix: fix(),
          forResident: forResident(),
          residentPhone: residentPhone(),
          residentName: residentName(),
          menuItemId: menuItem()?.id,
          menuTitle: menuItem()?.title,
          key: key(),
        }),
      );
    } catch {
      // No storage: the form still holds it for this visit.
    }
  };

  const useLocation = () =>
    locate.run(async () => {
      try {
        setFix(await currentPosition());
        keep();
      } catch (err) {
        throw new ApiError(0, err instanceof GeoError ? `geo.${err.reason}` : "geo.unavailable", "");
      }
    });

  const send = async (e: Event) => {
    e.preventDefault();
    if (uploading()) return;
    const gaps = [
      !category() && "category",
      !title().trim() && "title",
      takingIn() && !residentPhone().trim() && "onBehalfOf.phone",
      takingIn() && !residentName().trim() && "onBehalfOf.name",
    ].filter(Boolean) as string[];
    setMissing(gaps);
    if (gaps.length) {
      const ids: Record<string, string> = {
        title: "post-title-input",
        "onBehalfOf.phone": "post-for-phone",
        "onBehalfOf.name": "post-for-name",
      };
      document.getElementById(ids[gaps[0]] ?? "post-category")?.focus();
      return;
    }
    keep();
    const body = {
      communityId: communityId(),
      category: category(),
      title: title().trim(),
      // A short wish needs no second sentence: the title says it all.
      description: description().trim() || title().trim(),
      address: address().trim() || undefined,
      location: fix() ? { lat: fix()!.lat, lng: fix()!.lng } : undefined,
      window: from() && to() ? { from: toIso(from()), to: toIso(to()) } : undefined,
      onBehalfOf: takingIn() ? { phone: residentPhone().trim(), name: residentName().trim() } : undefined,
      photos: photos().length ? photos() : undefined,
      menuItemId: menuItem()?.id,
    };
    const wish = await submit.run(() => post<Wish>("/api/wishes", body, { "idempotency-key": key() }));
    if (wish) {
      sessionStorage.removeItem(draftKey);
      navigate(`/wishes/${wish.id}?posted=1`);
    }
  };

  const problem = (field: string, ...more: string[]) =>
    missing().includes(field) ? t("post.required") : fieldProblem(submit.error(), field, ...more);

  return (
    <section class="page" aria-labelledby="post-title">
      <PageTitle id="post-title">{t("post.title")}</PageTitle>
      <Show when={communityId()} fallback={<p class="notice">{t("post.noCommunity")}</p>}>
        <form onSubmit={send} onInput={keep} novalidate>
          <Show when={staff()}>
            <fieldset class="pick">
              <legend>{t("post.forResident")}</legend>
              <label class="check">
                <input type="checkbox" checked={forResident()} onChange={(e) => (setForResident(e.currentTarget.checked), keep())} />
                <span>{t("post.forResidentCheck")}</span>
              </label>
              <Show when={forResident()}>
                <p class="hint">{t("post.forResidentHint")}</p>
                <Field
                  id="post-for-phone"
                  label={t("post.residentPhone")}
                  type="tel"
                  inputmode="tel"
                  required
                  maxLength={20}
                  value={residentPhone()}
                  onValue={(v) => {
                    setResidentPhone(v);
                    if (v.trim()) setMissing((m) => m.filter((f) => f !== "onBehalfOf.phone"));
                  }}
                  problem={problem("onBehalfOf.phone")}
                />
                <Field
                  id="post-for-name"
                  label={t("post.residentName")}
                  required
                  maxLength={40}
                  value={residentName()}
                  onValue={(v) => {
                    setResidentName(v);
                    if (v.trim()) setMissing((m) => m.filter((f) => f !== "onBehalfOf.name"));
                  }}
                  problem={problem("onBehalfOf.name")}
                />
              </Show>
            </fieldset>
          </Show>
          <Show when={menuItem()}>
            {(m) => (
              <p class="notice" role="status">
                {t("post.ordering", { title: m().title })}{" "}
                <button type="button" class="link" onClick={() => (setMenuItem(undefined), keep())}>
                  {t("post.notOrdering")}
                </button>
              </p>
            )}
          </Show>
          <fieldset
            class="chips"
            id="post-category"
            tabindex="-1"
            aria-describedby={missing().includes("category") ? "category-problem" : undefined}
          >
            <legend>{t("post.category")}</legend>
            <For each={community()?.categories ?? []}>
              {(c) => (
                <label class="chip">
                  <input
                    type="radio"
                    name="category"
                    value={c.code}
                    checked={category() === c.code}
                    onChange={() => {
                      setCategory(c.code);
                      setMissing((m) => m.filter((f) => f !== "category"));
                      keep();
                    }}
                  />
                  <span>
                    <Icon name={c.code} size={18} />
                    {c.name[locale()]}
                  </span>
                </label>
              )}
            </For>
            <Show when={missing().includes("category")}>
              <p class="problem" id="category-problem">
                {t("post.pickCategory")}
              </p>
            </Show>
          </fieldset>
          <Field
            id="post-title-input"
            label={t("post.wishTitle")}
            hint={t("post.wishTitleHint")}
            required
            maxLength={80}
            value={title()}
            onValue={(v) => {
              setTitle(v);
              if (v.trim()) setMissing((m) => m.filter((f) => f !== "title"));
            }}
            problem={problem("title")}
          />
          <Field
            label={t("post.description")}
            multiline
            maxLength={2000}
            value={description()}
            onValue={setDescription}
            problem={problem("description")}
          />
          <Field
            label={t("post.address")}
            autocomplete="street-address"
            maxLength={200}
            value={address()}
            onValue={setAddress}
            problem={problem("address")}
          />
          <div class="field">
            <button type="button" class="secondary" onClick={useLocation} disabled={locate.busy()} aria-busy={locate.busy()}>
              <Busy when={locate.busy()} working={t("geo.locating")} idle={fix() ? t("post.relocate") : t("post.useLocation")} />
            </button>
            <Show when={fix()}>
              {(f) => (
                <p class="hint" role="status">
                  {t("post.located", { accuracy: formatDistance(f().accuracy) })}{" "}
                  <button type="button" class="link" onClick={() => (setFix(undefined), keep())}>
                    {t("action.remove")}
                  </button>
                </p>
              )}
            </Show>
            <Outcome action={locate} />
          </div>
          <fieldset class="window">
            <legend>{t("post.window")}</legend>
            <p class="hint">{t("post.windowHint")}</p>
            <Field
              label={t("post.from")}
              type="datetime-local"
              value={from()}
              onValue={setFrom}
              problem={problem("window.from", "window")}
            />
            <Field label={t("post.to")} type="datetime-local" value={to()} onValue={setTo} problem={problem("window.to")} />
          </fieldset>
          <Show when={fix() && similar()?.length}>
            <section class="similar" aria-labelledby="similar-title">
              <h2 id="similar-title">{t("post.similarTitle")}</h2>
              <p class="hint">{t("post.similarHint")}</p>
              <ul>
                <For each={similar()}>
                  {(w) => (
                    <li>
                      <Show when={mayOpen()} fallback={<span class="similar-title">{w.title}</span>}>
                        <A href={`/wishes/${w.id}`}>{w.title}</A>
                      </Show>
                      <span class="meta">
                        <StatusBadge status={w.status} />
                        {t("post.similarWhere", { distance: formatDistance(w.distanceMeters), ago: formatAgo(w.createdAt) })}
                      </span>
                    </li>
                  )}
                </For>
              </ul>
            </section>
          </Show>
          <PhotoField purpose="wish" onKeys={setPhotos} onBusy={setUploading} />
          <button type="submit" class="primary wide" disabled={submit.busy() || uploading()} aria-busy={submit.busy()}>
            <Busy when={submit.busy()} working={t("post.sending")} idle={t("post.submit")} />
          </button>
          <Outcome action={submit} />
        </form>
      </Show>
    </section>
  );
}
