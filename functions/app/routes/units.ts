import { Hono, type Context } from "hono";
import { fail } from "../../core/errors.js";
import * as Registrations from "../../core/registrations.js";
import * as Rollups from "../../core/rollups.js";
import * as Units from "../../core/units.js";
import { doc, json, maybeSignedIn, query, signedIn, type Env } from "../http.js";
import * as H from "../hours-schemas.js";
import { Id, PageQuery } from "../schemas.js";
import * as U from "../unit-schemas.js";

const unitId = (c: Context) => {
  const id = c.req.param("id")!;
  return Id.safeParse(id).success ? id : fail("unit.not_found", `No unit ${id.slice(0, 64)}.`);
};

/** The organisation tree: units, their staff and their audit trail. */
export function unitRoutes() {
  const app = new Hono<Env>();

  app.post(
    "/units",
    doc({
      operationId: "createUnit",
      tag: "units",
      who: "admin (a county); staff of the parent or above (a child of the kind it holds)",
      summary: "Create a county, a street under a county, a community under a street or a grid (with its area) under a community",
      ok: { 201: U.Unit },
      refuses: [403, 404, 409, 422],
    }),
    signedIn,
    json(U.NewUnit),
    async (c) => c.json(await Units.create(c.var.deps.store, c.var.actor, c.req.valid("json")), 201),
  );

  app.get(
    "/units/:id",
    doc({
      operationId: "getUnit",
      tag: "units",
      who: "anyone (name and kind); staff of it or above (children, staff, a grid's area and leaders)",
      summary: "A unit, its children and its staff",
      ok: { 200: U.Unit },
    }),
    maybeSignedIn,
    async (c) => c.json(await Units.read(c.var.deps.store, c.var.actor, unitId(c))),
  );

  app.post(
    "/units/:id/staff",
    doc({
      operationId: "appointStaff",
      tag: "units",
      who: "admin, staff of the unit or above",
      summary: "Appoint a person by phone as staff of a county, street or community, or as a grid's leader (leader: true)",
      ok: { 201: U.Appointed },
      refuses: [403, 409, 422],
    }),
    signedIn,
    json(U.Appointment),
    async (c) => c.json(await Units.appoint(c.var.deps.store, c.var.actor, unitId(c), c.req.valid("json")), 201),
  );

  app.get(
    "/units/:id/audit",
    doc({
      operationId: "getUnitAudit",
      tag: "units",
      who: "staff of the unit or above",
      summary: "Settings, role, unit and registration changes: who, when, before and after, newest first",
      ok: { 200: U.AuditPage },
      refuses: [403],
    }),
    signedIn,
    query(PageQuery),
    async (c) => {
      const { cursor, limit } = c.req.valid("query");
      return c.json(await Units.auditLog(c.var.deps.store, c.var.actor, unitId(c), cursor, limit));
    },
  );

  app.get(
    "/units/:id/stats",
    doc({
      operationId: "getUnitStats",
      tag: "units",
      who: "staff of the unit or above",
      summary: "A street's or county's activities, person-times, residents served and hours for a period, summed over its communities",
      ok: { 200: U.UnitStats },
      refuses: [403, 404, 422],
    }),
    signedIn,
    query(H.StatsQuery),
    async (c) => c.json(await Rollups.forPeriod(c.var.deps.store, c.var.actor, unitId(c), c.req.valid("query").period)),
  );

  app.get(
    "/units/:id/rankings",
    doc({
      operationId: "getUnitRankings",
      tag: "units",
      who: "staff of the unit or above",
      summary: "The communities, branches or members beneath a street or county with the most hours in a month, quarter or year",
      ok: { 200: U.UnitRankings },
      refuses: [403, 404, 422],
    }),
    signedIn,
    query(U.UnitRankingsQuery),
    async (c) => {
      const { period, by, limit } = c.req.valid("query");
      return c.json(await Rollups.rank(c.var.deps.store, c.var.actor, unitId(c), period, by, limit ?? 20));
    },
  );

  const communityId = (c: Context) => {
    const id = c.req.param("id")!;
    return Id.safeParse(id).success ? id : fail("community.not_found", `No community ${id.slice(0, 64)}.`);
  };
  const registrationId = (c: Context) => {
    const id = c.req.param("id")!;
    return Id.safeParse(id).success ? id : fail("registration.not_found", `No registration ${id.slice(0, 64)}.`);
  };

  app.post(
    "/communities/:id/registrations",
    doc({
      operationId: "register",
      tag: "units",
      who: "signed in",
      summary: "Ask to join a community as a member (报到): pending until its staff decide",
      ok: { 201: U.Registration },
      refuses: [409, 422],
    }),
    signedIn,
    json(U.NewRegistration),
    async (c) => c.json(await Registrations.register(c.var.deps.store, c.var.actor, communityId(c), c.req.valid("json")), 201),
  );

  app.get(
    "/communities/:id/registrations",
    doc({
      operationId: "listRegistrations",
      tag: "units",
      who: "staff of the community or above",
      summary: "The community's registrations in one status (pending by default), oldest first",
      ok: { 200: U.RegistrationPage },
      refuses: [403],
    }),
    signedIn,
    query(U.RegistrationQuery),
    async (c) => {
      const { status, cursor, limit } = c.req.valid("query");
      return c.json(await Registrations.list(c.var.deps.store, c.var.actor, communityId(c), status, cursor, limit));
    },
  );

  app.post(
    "/registrations/:id/approve",
    doc({
      operationId: "approveRegistration",
      tag: "units",
      who: "community staff",
      summary: "Approve a pending registration: the person becomes a member",
      ok: { 200: U.Registration },
      refuses: [403, 409],
    }),
    signedIn,
    async (c) => c.json(await Registrations.decide(c.var.deps.store, c.var.actor, registrationId(c), "approved")),
  );

  app.post(
    "/registrations/:id/reject",
    doc({
      operationId: "rejectRegistration",
      tag: "units",
      who: "community staff",
      summary: "Reject a pending registration, with the reason the person is told",
      ok: { 200: U.Registration },
      refuses: [403, 409],
    }),
    signedIn,
    json(U.Rejection),
    async (c) =>
      c.json(await Registrations.decide(c.var.deps.store, c.var.actor, registrationId(c), "rejected", c.req.valid("json").reason)),
  );

  app.get(
    "/me/registrations",
    doc({
      operationId: "listMyRegistrations",
      tag: "units",
      who: "signed in",
      summary: "The communities I asked to join and what their staff decided (the reason, when rejected), newest first",
      ok: { 200: U.MyRegistrations },
    }),
    signedIn,
    async (c) => c.json({ items: await Registrations.mine(c.var.deps.store, c.var.actor) }),
  );

  app.get(
    "/me/invitations",
    doc({
      operationId: "listMyInvitations",
      tag: "units",
      who: "signed in",
      summary: "Communities whose staff invited me to join (from their roll); I join only by accepting",
      ok: { 200: U.Invitations },
    }),
    signedIn,
    async (c) => c.json({ items: await Registrations.invitations(c.var.deps.store, c.var.actor) }),
  );

  for (const [verb, accept] of [
    ["accept", true],
    ["decline", false],
  ] as const) {
    app.post(
      `/me/invitations/:id/${verb}`,
      doc({
        operationId: `${verb}Invitation`,
        tag: "units",
        who: "the person invited",
        summary: accept ? "Accept a community's invitation: become its member" : "Decline a community's invitation",
        ok: { 200: U.Answer },
      }),
      signedIn,
      async (c) => c.json(await Registrations.answer(c.var.deps.store, c.var.actor, communityId(c), accept)),
    );
  }

  return app;
}
