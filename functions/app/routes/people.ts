import * as Community from "../../core/community.js";
import { fail } from "../../core/errors.js";
import { hasRole } from "../../core/identity.js";
import * as Hours from "../../core/hours.js";
import * as Wish from "../../core/wish.js";
import { router } from "../http.js";
import * as S from "../schemas.js";

const idOf = (id: string, what: string) => (S.Id.safeParse(id).success ? id : fail(`${what}.not_found`, `No ${what} ${id.slice(0, 64)}.`));

export function peopleRoutes() {
  const r = router("/api");

  r.route({ method: "get", path: "/me", tag: "people", who: "signed in", auth: true, summary: "Who I am and my roles per community" }, ({ c, actor }) =>
    c.json(actor),
  );

  r.route({ method: "get", path: "/me/tasks", tag: "people", who: "member", auth: true, summary: "My active claims with their wishes", query: S.PageQuery }, async ({ c, actor, query }) =>
    c.json(await Wish.tasks(c.get("deps").store, actor, query.cursor, query.limit)),
  );

  r.route({ method: "get", path: "/communities/:id", tag: "communities", who: "anyone", auth: false, summary: "Name, settings, branches and wish categories" }, async ({ c }) =>
    c.json(await Community.fromId(c.get("deps").store, idOf(c.req.param("id")!, "community"))),
  );

  r.route({ method: "get", path: "/communities/:id/members", tag: "communities", who: "staff", auth: true, summary: "The community's members and staff (for dispatch)", query: S.PageQuery }, async ({ c, actor, query }) => {
    const id = idOf(c.req.param("id")!, "community");
    if (!hasRole(actor, id, "staff")) fail("community.forbidden", "Only staff of this community may list its people.");
    return c.json(await Community.people(c.get("deps").store, id, query.cursor, query.limit));
  });

  r.route({ method: "get", path: "/members/:id/hours", tag: "hours", who: "the member, staff", auth: true, summary: "A member's total minutes and ledger" }, async ({ c, actor }) =>
    c.json(await Hours.memberHours(c.get("deps").store, actor, idOf(c.req.param("id")!, "member"))),
  );

  return r;
}
