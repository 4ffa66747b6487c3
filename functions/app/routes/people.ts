import { Hono, type Context } from "hono";
import * as Community from "../../core/community.js";
import { fail } from "../../core/errors.js";
import * as Hours from "../../core/hours.js";
import * as Units from "../../core/units.js";
import * as Identity from "../../core/identity.js";
import * as Wish from "../../core/wish.js";
import { doc, json, query, signedIn, type Env } from "../http.js";
import * as R from "../responses.js";
import * as S from "../schemas.js";

const communityId = (c: Context) => {
  const id = c.req.param("id")!;
  return S.Id.safeParse(id).success ? id : fail("community.not_found", `No community ${id.slice(0, 64)}.`);
};
const memberId = (c: Context) => {
  const id = c.req.param("id")!;
  return S.Id.safeParse(id).success ? id : fail("member.not_found", `No member ${id.slice(0, 64)}.`);
};

export function peopleRoutes() {
  const app = new Hono<Env>();

  app.get(
    "/me",
    doc({
      operationId: "getMe",
      tag: "people",
      who: "signed in",
      summary: "Who I am, my roles per community, and the community my app opens in",
      ok: { 200: R.MeAtHome },
    }),
    signedIn,
    async (c) => c.json({ ...c.var.actor, community: await Community.homeOf(c.var.deps.store, c.var.actor) }),
  );

  app.put(
    "/me",
    doc({
      operationId: "putMe",
      tag: "people",
      who: "signed in",
      summary: "Set my name, address or skills (fields left out stay as they are)",
      ok: { 200: R.Me },
    }),
    signedIn,
    json(S.Profile),
    async (c) => c.json(await Identity.setProfile(c.var.deps.store, c.var.actor, c.req.valid("json"))),
  );

  app.get(
    "/me/tasks",
    doc({
      operationId: "listMyTasks",
      tag: "people",
      who: "member",
      summary: "My active claims with their wishes",
      ok: { 200: R.TaskPage },
    }),
    signedIn,
    query(S.PageQuery),
    async (c) => {
      const { cursor, limit } = c.req.valid("query");
      return c.json(await Wish.tasks(c.var.deps.store, c.var.actor, cursor, limit));
    },
  );

  app.get(
    "/communities/:id",
    doc({
      operationId: "getCommunity",
      tag: "communities",
      who: "anyone",
      summary: "Name, settings, branches and wish categories",
      ok: { 200: R.Community },
    }),
    async (c) => c.json(await Community.fromId(c.var.deps.store, communityId(c))),
  );

  app.get(
    "/communities/:id/members",
    doc({
      operationId: "listCommunityPeople",
      tag: "communities",
      who: "staff",
      summary: "The community's members and staff (for dispatch)",
      ok: { 200: R.PersonPage },
      refuses: [403],
    }),
    signedIn,
    query(S.PageQuery),
    async (c) => {
      const id = communityId(c);
      if (!(await Units.mayRead(c.var.deps.store, c.var.actor, id)))
        fail("community.forbidden", "Only staff of this community may list its people.");
      const { cursor, limit } = c.req.valid("query");
      return c.json(await Community.people(c.var.deps.store, id, cursor, limit));
    },
  );

  app.get(
    "/members/:id/hours",
    doc({
      operationId: "getMemberHours",
      tag: "hours",
      who: "the member, staff",
      summary: "A member's total minutes and ledger",
      ok: { 200: R.MemberHours },
      refuses: [403],
    }),
    signedIn,
    async (c) => c.json(await Hours.memberHours(c.var.deps.store, c.var.actor, memberId(c))),
  );

  return app;
}
