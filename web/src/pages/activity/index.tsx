import { useParams, useSearchParams } from "@solidjs/router";
import { createEffect, createResource, createSignal, For, lazy, on, Show, Suspense } from "solid-js";
import { get } from "../../data/api";
import { formatChinaTime } from "../../data/china-time";
import { refreshOnReturn } from "../../data/freshness";
import { unread } from "../../data/notifications";
import { role } from "../../data/session";
import type { ActivityView } from "../../data/types";
import { explainLoad } from "../../i18n/explain";
import { locale, t } from "../../i18n";
import { ActivityBadge, placesText } from "../../ui/activity-card";
import { PageTitle } from "../../ui/page-title";
import { MemberPart, rememberedToken, rememberToken } from "./member";
import { ta } from "../../i18n/activities";

const StaffPart = lazy(() => import("./staff"));
const Poster = lazy(() => import("./poster"));
const PhotoGallery = lazy(() => import("../../ui/photo-gallery"));

/**
 * One activity: what, when (China time), where and how many places are left; a member's own
 * sign-up and attendance, staff's photos, and the poster's check-in when they came by its QR code
 * (`/activities/:id/check-in?t=TOKEN`); staff's attendance, verification and notices.
 */
export default function ActivityPage() {
  const params = useParams();
  return (
    <Show when={params.rest === "poster"} fallback={<Activity />}>
      <Poster />
    </Show>
  );
}

function Activity() {
  const params = useParams();
  const [search] = useSearchParams();
  const [activity, { mutate, refetch }] = createResource(
    () => params.id,
    (id) => get<ActivityView>(`/api/activities/${encodeURIComponent(id)}`),
  );
  const [shown, setShown] = createSignal<ActivityView>();
  createEffect(() => {
    if (activity.state === "ready") setShown(activity());
  });
  const current = () => (shown()?.id === params.id ? shown() : undefined);
  const reload = () => refetch();
  refreshOnReturn(reload);
  createEffect(on(unread, (now, before) => before !== undefined && now > before && reload()));

  // The poster's code came with the link: kept on this phone, so leaving later works from the activity's page too.
  const token = () => {
    const given = typeof search.t === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(search.t) ? search.t : undefined;
    return given ?? rememberedToken(params.id!);
  };
  createEffect(() => {
    if (typeof search.t === "string") rememberToken(params.id!, search.t);
  });
  const when = (iso: string) => formatChinaTime(iso, locale());

  return (
    <section class="page" aria-labelledby="activity-title">
      <Show when={activity.state === "errored" && activity.error}>
        <div class="notice error" role="alert">
          <p>{explainLoad(activity.error)}</p>
          <button type="button" class="secondary" onClick={reload}>
            {t("action.retry")}
          </button>
        </div>
      </Show>
      <Show when={activity.state === "pending" || (activity.state === "refreshing" && !current())}>
        <p role="status" class="muted">
          {t("loading")}
        </p>
      </Show>
      <Show when={current()}>
        {(a) => (
          <>
            <Show when={search.posted}>
              <p class="notice ok" role="status">
                {ta("activity.posted")}
              </p>
            </Show>
            <div class="page-head">
              <PageTitle id="activity-title">{a().title}</PageTitle>
              <ActivityBadge status={a().status} />
            </div>
            <dl class="details">
              <dt>{ta("activity.when")}</dt>
              <dd>
                {when(a().window.from)} – {when(a().window.to)}
                <span class="hint">{ta("activity.chinaTime")}</span>
              </dd>
              <dt>{ta("activity.where")}</dt>
              <dd>{a().address}</dd>
              <dt>{ta("activity.placesTitle")}</dt>
              <dd>{placesText(a())}</dd>
              <Show when={a().teams?.length}>
                <dt>{ta("activity.teams")}</dt>
                <dd>{a().teams!.join(t("list.sep"))}</dd>
              </Show>
              <dt>{ta("activity.description")}</dt>
              <dd class="pre">{a().description}</dd>
              <dt>{ta("activity.postedBy")}</dt>
              <dd>{a().createdByName}</dd>
            </dl>
            <Show when={a().photos.length > 0}>
              <Suspense>
                <PhotoGallery title={ta("activity.photos")} photos={a().photos} />
              </Suspense>
            </Show>
            <Show when={role() === "member"}>
              <MemberPart activity={a()} token={token()} onChange={mutate} onStale={reload} />
            </Show>
            <Show when={role() === "staff"}>
              <StaffPart activity={a()} onChange={mutate} />
            </Show>
            <h2 id="comments-title">{ta("activity.comments")}</h2>
            <Show when={a().comments.length > 0} fallback={<p class="muted">{ta("activity.noComments")}</p>}>
              <ul class="comments" aria-labelledby="comments-title">
                <For each={a().comments}>
                  {(c) => (
                    <li>
                      <strong>{c.memberName}</strong>
                      <time datetime={c.at}>{when(c.at)}</time>
                      <p class="pre">{c.comment}</p>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
