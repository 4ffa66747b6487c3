import { fail } from "../../core/errors.js";
import * as Inbox from "../../core/inbox.js";
import * as Preferences from "../../core/preferences.js";
import { router } from "../http.js";
import * as S from "../schemas.js";

const notificationId = (id: string) => (S.Id.safeParse(id).success ? id : fail("notification.not_found", `You have no notification ${id.slice(0, 64)}.`));

export function notificationRoutes() {
  const r = router("/api");

  r.route({ method: "get", path: "/notifications", tag: "notifications", who: "signed in", auth: true, summary: "My notifications, newest first, with the unread count", query: S.PageQuery }, async ({ c, actor, query }) =>
    c.json(await Inbox.list(c.get("deps").store, actor, query.cursor, query.limit)),
  );

  r.route({ method: "post", path: "/notifications/read-all", tag: "notifications", who: "signed in", auth: true, summary: "Mark all my notifications read" }, async ({ c, actor }) =>
    c.json(await Inbox.markAllRead(c.get("deps").store, actor)),
  );

  r.route({ method: "post", path: "/notifications/:id/read", tag: "notifications", who: "signed in", auth: true, summary: "Mark one notification read" }, async ({ c, actor }) =>
    c.json(await Inbox.markRead(c.get("deps").store, actor, notificationId(c.req.param("id")!))),
  );

  r.route({ method: "get", path: "/me/preferences", tag: "notifications", who: "signed in", auth: true, summary: "My language, what reaches me by SMS, which new wishes I hear of" }, async ({ c, actor }) =>
    c.json(await Preferences.get(c.get("deps").store, actor)),
  );

  r.route({ method: "put", path: "/me/preferences", tag: "notifications", who: "signed in", auth: true, summary: "Set my language, SMS kinds and categories of new wishes", body: S.Preferences }, async ({ c, actor, body }) =>
    c.json(await Preferences.put(c.get("deps").store, actor, body, c.get("deps").subscriptions)),
  );

  return r;
}
