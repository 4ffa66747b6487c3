import type { Context } from "hono";
import { fail } from "../../core/errors.js";
import * as Settings from "../../core/settings.js";
import { router, type Env } from "../http.js";
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

  return r;
}
