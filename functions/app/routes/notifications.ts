import { Hono, type Context } from "hono";
import { fail } from "../../core/errors.js";
import * as Inbox from "../../core/inbox.js";
import * as Preferences from "../../core/preferences.js";
import { doc, json, query, signedIn, type Env } from "../http.js";
import * as R from "../responses.js";
import * as S from "../schemas.js";

const notificationId = (c: Context) => {
  const id = c.req.param("id")!;
  return S.Id.safeParse(id).success ? id : fail("notification.not_found", `You have no notification ${id.slice(0, 64)}.`);
};

export function notificationRoutes() {
  const app = new Hono<Env>();

  app.get(
    "/notifications",
    doc({
      operationId: "listNotifications",
      tag: "notifications",
      who: "signed in",
      summary: "My notifications, newest first, with the unread count",
      ok: { 200: R.NotificationPage },
    }),
    signedIn,
    query(S.PageQuery),
    async (c) => {
      const { cursor, limit } = c.req.valid("query");
      return c.json(await Inbox.list(c.var.deps.store, c.var.actor, cursor, limit));
    },
  );

  app.post(
    "/notifications/read-all",
    doc({
      operationId: "readAllNotifications",
      tag: "notifications",
      who: "signed in",
      summary: "Mark all my notifications read",
      ok: { 200: R.Unread },
    }),
    signedIn,
    async (c) => c.json(await Inbox.markAllRead(c.var.deps.store, c.var.actor)),
  );

  app.post(
    "/notifications/:id/read",
    doc({
      operationId: "readNotification",
      tag: "notifications",
      who: "signed in",
      summary: "Mark one notification read",
      ok: { 200: R.Unread },
    }),
    signedIn,
    async (c) => c.json(await Inbox.markRead(c.var.deps.store, c.var.actor, notificationId(c))),
  );

  app.get(
    "/me/preferences",
    doc({
      operationId: "getPreferences",
      tag: "notifications",
      who: "signed in",
      summary: "My language, what reaches me by SMS, which new wishes I hear of",
      ok: { 200: R.Preferences },
    }),
    signedIn,
    async (c) => c.json(await Preferences.get(c.var.deps.store, c.var.actor)),
  );

  app.put(
    "/me/preferences",
    doc({
      operationId: "setPreferences",
      tag: "notifications",
      who: "signed in",
      summary: "Set my language, SMS kinds and categories of new wishes",
      ok: { 200: R.Preferences },
      refuses: [404],
    }),
    signedIn,
    json(S.Preferences),
    async (c) => c.json(await Preferences.put(c.var.deps.store, c.var.actor, c.req.valid("json"))),
  );

  return app;
}
