import { Hono, type Context } from "hono";
import * as Activities from "../../core/activities.js";
import * as Notices from "../../core/notices.js";
import { fail } from "../../core/errors.js";
import * as Settings from "../../core/settings.js";
import * as A from "../activity-schemas.js";
import { doc, json, query, signedIn, type Deps, type Env, type Media } from "../http.js";
import { posterPage } from "../pages/poster.js";
import * as R from "../responses.js";
import { Id } from "../schemas.js";

const activityId = (c: Context) => {
  const id = c.req.param("id")!;
  return Id.safeParse(id).success ? id : fail("activity.not_found", `No activity ${id.slice(0, 64)} that you can see.`);
};
const communityId = (c: Context) => {
  const id = c.req.param("id")!;
  return Id.safeParse(id).success ? id : fail("community.not_found", `No community ${id.slice(0, 64)}.`);
};

/** The web app's check-in page for an activity, with the poster's token: on the app's own origin where it has one. */
export async function checkInUrl(deps: Deps, id: string, token: string) {
  const site = (await deps.siteOrigins?.())?.[0] ?? (await deps.publicUrl());
  return `${site.replace(/\/$/, "")}/activities/${id}/check-in?t=${token}`;
}

const page = (description: string): Media => ({ type: "text/html", description });

export function activityRoutes() {
  const app = new Hono<Env>();

  app.post(
    "/communities/:id/activities",
    doc({
      operationId: "postActivity",
      tag: "activities",
      who: "community staff",
      summary:
        "Post an activity: place, window, places (none: unlimited), teams, invited branches and uploaded photos; " +
        "it opens for sign-ups",
      ok: { 201: R.ActivityView },
      refuses: [403, 413, 415, 503],
    }),
    signedIn,
    json(A.NewActivity),
    async (c) => {
      const { store } = c.var.deps;
      const activity = await Activities.create(store, c.var.actor, communityId(c), c.req.valid("json"), undefined, c.var.deps.photos);
      return c.json(await Activities.view(store, c.var.actor, activity.id, c.var.deps.photos), 201);
    },
  );

  app.get(
    "/communities/:id/activities",
    doc({
      operationId: "listActivities",
      tag: "activities",
      who: "members and staff of the community",
      summary: "The community's activities, latest start first; one status when asked",
      ok: { 200: R.ActivityPage },
      refuses: [403],
    }),
    signedIn,
    query(A.ActivityQuery),
    async (c) => c.json(await Activities.list(c.var.deps.store, c.var.actor, communityId(c), c.req.valid("query"))),
  );

  app.get(
    "/me/activities",
    doc({
      operationId: "myActivities",
      tag: "activities",
      who: "member",
      summary: "The activities I signed up for or walked in to, newest first",
      ok: { 200: R.MyActivities },
    }),
    signedIn,
    async (c) => c.json({ items: await Activities.mine(c.var.deps.store, c.var.actor) }),
  );

  app.get(
    "/activities/:id",
    doc({
      operationId: "getActivity",
      tag: "activities",
      who: "members and staff of the community",
      summary:
        "An activity, with my sign-up, the comments and staff's photos; " + "staff also see every sign-up per team, attendance and absence",
      ok: { 200: R.ActivityView },
    }),
    signedIn,
    async (c) => c.json(await Activities.view(c.var.deps.store, c.var.actor, activityId(c), c.var.deps.photos)),
  );

  app.get(
    "/activities/:id/poster",
    doc({
      operationId: "activityPoster",
      tag: "activities",
      who: "community staff",
      summary: "The printable A4 poster: the activity, its time and place, and the QR code to check in with its token",
      ok: { 200: page("the poster, an HTML page made for A4") },
      refuses: [403],
    }),
    signedIn,
    async (c) => {
      const { store } = c.var.deps;
      const { activity, communityName } = await Activities.forPoster(store, c.var.actor, activityId(c));
      const settings = await Settings.read(store, activity.communityId);
      const url = await checkInUrl(c.var.deps, activity.id, activity.token);
      c.header("cache-control", "no-store");
      return c.html(await posterPage(activity, communityName, url, settings));
    },
  );

  app.post(
    "/activities/:id/photos",
    doc({
      operationId: "addActivityPhotos",
      tag: "activities",
      who: "community staff",
      summary: "Add uploaded photos to an activity, before or after it took place (its 图文 record); nine at most on it in all",
      ok: { 200: R.ActivityView },
      refuses: [403, 409, 413, 415, 503],
    }),
    signedIn,
    json(A.AddPhotos),
    async (c) => {
      const id = activityId(c);
      await Activities.addPhotos(c.var.deps.store, c.var.actor, id, c.req.valid("json").photos, c.var.deps.photos);
      return c.json(await Activities.view(c.var.deps.store, c.var.actor, id, c.var.deps.photos));
    },
  );

  app.post(
    "/activities/:id/signup",
    doc({
      operationId: "signUpForActivity",
      tag: "activities",
      who: "member (of an invited branch, when branches are named)",
      summary: "Take a place before the activity starts; 409 when full, started or signed up already",
      ok: { 200: R.ActivityView },
      refuses: [403, 409],
    }),
    signedIn,
    json(A.SignUp),
    async (c) => {
      const id = activityId(c);
      await Activities.signUp(c.var.deps.store, c.var.actor, id, c.req.valid("json"));
      return c.json(await Activities.view(c.var.deps.store, c.var.actor, id, c.var.deps.photos));
    },
  );

  app.post(
    "/activities/:id/withdraw",
    doc({
      operationId: "withdrawFromActivity",
      tag: "activities",
      who: "member signed up",
      summary: "Give the place back before the activity starts",
      ok: { 200: R.ActivityView },
      refuses: [403, 409],
    }),
    signedIn,
    async (c) => {
      const id = activityId(c);
      await Activities.withdraw(c.var.deps.store, c.var.actor, id);
      return c.json(await Activities.view(c.var.deps.store, c.var.actor, id, c.var.deps.photos));
    },
  );

  app.post(
    "/activities/:id/check-in",
    doc({
      operationId: "checkInToActivity",
      tag: "activities",
      who: "member (signed up, or walking in while places remain)",
      summary: "Arrive with the poster's token, inside the fence and not late; refusals name the rule",
      ok: { 200: R.ActivityView },
      refuses: [403, 409],
    }),
    signedIn,
    json(A.ActivityCheckIn),
    async (c) => {
      const id = activityId(c);
      await Activities.checkIn(c.var.deps.store, c.var.actor, id, c.req.valid("json"));
      return c.json(await Activities.view(c.var.deps.store, c.var.actor, id, c.var.deps.photos));
    },
  );

  app.post(
    "/activities/:id/check-out",
    doc({
      operationId: "checkOutOfActivity",
      tag: "activities",
      who: "member checked in",
      summary: "Leave with the poster's token, inside the fence and not early, with a comment (心得) if you like",
      ok: { 200: R.ActivityView },
      refuses: [403, 409],
    }),
    signedIn,
    json(A.ActivityCheckOut),
    async (c) => {
      const id = activityId(c);
      await Activities.checkOut(c.var.deps.store, c.var.actor, id, c.req.valid("json"));
      return c.json(await Activities.view(c.var.deps.store, c.var.actor, id, c.var.deps.photos));
    },
  );

  app.post(
    "/activities/:id/verify",
    doc({
      operationId: "verifyActivity",
      tag: "activities",
      who: "community staff",
      summary: "Credit attendance once the activity closed: measured minutes or staff's figure (with a reason); absentees get nothing",
      ok: { 200: R.ActivityView },
      refuses: [403, 409],
    }),
    signedIn,
    json(A.VerifyActivity),
    async (c) => {
      const id = activityId(c);
      await Activities.verify(c.var.deps.store, c.var.actor, id, c.req.valid("json"));
      return c.json(await Activities.view(c.var.deps.store, c.var.actor, id, c.var.deps.photos));
    },
  );

  app.post(
    "/notices",
    doc({
      operationId: "sendNotice",
      tag: "activities",
      who: "community staff",
      summary: "Send a text to an activity's people or to a community's members (some branches): in the app, and by SMS when asked",
      ok: { 202: R.NoticeSent },
      refuses: [403, 404],
    }),
    signedIn,
    json(A.NewNotice),
    async (c) => c.json(await Notices.send(c.var.deps.store, c.var.actor, c.req.valid("json")), 202),
  );

  return app;
}
