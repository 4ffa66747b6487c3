import type { Context } from "hono";
import { fail } from "../../core/errors.js";
import * as Rankings from "../../core/rankings.js";
import * as Settings from "../../core/settings.js";
import * as Stats from "../../core/stats.js";
import { requireActor, router, type Env } from "../http.js";
import * as H from "../hours-schemas.js";
import { Id } from "../schemas.js";

const communityId = (c: Context<Env>) => {
  const id = c.req.param("id")!;
  return Id.safeParse(id).success ? id : fail("community.not_found", `No community ${id.slice(0, 64)}.`);
};

/** Hours beyond the lifecycle: the community's rules, its figures, certificates and rolls. */
export function hoursRoutes() {
  const r = router("/api");
  const store = (c: Context<Env>) => c.get("deps").store;

  r.route({ method: "get", path: "/communities/:id/settings", tag: "hours", who: "anyone", auth: false, summary: "The fence, window and ranking rules in force" }, async ({ c }) =>
    c.json(await Settings.read(store(c), communityId(c))),
  );

  r.route({ method: "post", path: "/communities/:id/settings", tag: "hours", who: "staff", auth: true, summary: "Change some of the fence, window and ranking rules", body: H.SettingsChange }, async ({ c, actor, body }) =>
    c.json(await Settings.update(store(c), actor, communityId(c), body)),
  );

  r.route({ method: "get", path: "/communities/:id/stats", tag: "hours", who: "anyone (headline figures); staff (detail)", auth: false, summary: "Activities, person-times, residents served and hours for a period; staff also get counts by state, medians and ratings", query: H.StatsQuery }, async ({ c, query }) => {
    // Public figures need no sign-in; a staff member who sends a token gets the detail too.
    const actor = c.req.header("authorization") ? await requireActor(c) : undefined;
    return c.json(await Stats.forPeriod(store(c), actor, communityId(c), query.period));
  });

  r.route({ method: "get", path: "/communities/:id/rankings", tag: "hours", who: "staff", auth: true, summary: "Branches or members ranked by their weighted score for a month, quarter or year", query: H.RankingsQuery }, async ({ c, actor, query }) =>
    c.json(await Rankings.rank(store(c), actor, communityId(c), query.period, query.by)),
  );

  return r;
}
