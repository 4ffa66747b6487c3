import { Hono, type Context } from "hono";
import * as Certificates from "../../core/certificates.js";
import { fail } from "../../core/errors.js";
import { unclaimedAlertHours } from "../../core/jobs.js";
import * as Ledger from "../../core/ledger.js";
import * as Rankings from "../../core/rankings.js";
import * as Roster from "../../core/roster.js";
import * as Settings from "../../core/settings.js";
import * as Stats from "../../core/stats.js";
import { doc, json, maybeSignedIn, query, signedIn, upload, type Env, type Media } from "../http.js";
import * as H from "../hours-schemas.js";
import { links } from "../links.js";
import * as R from "../responses.js";
import { Id, PageQuery } from "../schemas.js";

const communityId = (c: Context) => {
  const id = c.req.param("id")!;
  return Id.safeParse(id).success ? id : fail("community.not_found", `No community ${id.slice(0, 64)}.`);
};

const memberId = (c: Context) => {
  const id = c.req.param("id")!;
  return Id.safeParse(id).success ? id : fail("member.not_found", `No member ${id.slice(0, 64)}.`);
};

/** Bytes from a spreadsheet as text: UTF-8 (with or without BOM), or GB18030, which Chinese Excel writes by default. */
function decode(bytes: ArrayBuffer): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("gb18030").decode(bytes);
  }
}

const csv = (c: Context, text: string, name: string) =>
  c.body(text, 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}"` });

const csvFile = (description: string): Media => ({ type: "text/csv", description });

/** The rules in force, with the wait before staff hear of an unclaimed wish, which the jobs default when a community sets none. */
const withAlertHours = (settings: Settings.HoursSettings) => ({ unclaimedAlertHours, ...settings });

/** Hours beyond the lifecycle: the community's rules, its figures, certificates and rolls. */
export function hoursRoutes() {
  const app = new Hono<Env>();

  app.get(
    "/communities/:id/settings",
    doc({
      operationId: "getSettings",
      tag: "hours",
      who: "anyone",
      summary: "The fence, window, alert and ranking rules in force",
      ok: { 200: R.Settings },
    }),
    async (c) => c.json(withAlertHours(await Settings.read(c.var.deps.store, communityId(c)))),
  );

  app.post(
    "/communities/:id/settings",
    doc({
      operationId: "changeSettings",
      tag: "hours",
      who: "staff",
      summary: "Change some of the fence, window, alert and ranking rules",
      ok: { 200: R.Settings },
      refuses: [403],
    }),
    signedIn,
    json(H.SettingsChange),
    async (c) => c.json(withAlertHours(await Settings.update(c.var.deps.store, c.var.actor, communityId(c), c.req.valid("json")))),
  );

  app.get(
    "/communities/:id/stats",
    doc({
      operationId: "getStats",
      tag: "hours",
      who: "anyone (headline figures); staff (detail)",
      summary: "Activities, person-times, residents served and hours for a period; staff also get counts by state, medians and ratings",
      ok: { 200: R.Stats },
      refuses: [422],
    }),
    maybeSignedIn,
    query(H.StatsQuery),
    async (c) => c.json(await Stats.forPeriod(c.var.deps.store, c.var.actor, communityId(c), c.req.valid("query").period)),
  );

  app.get(
    "/communities/:id/rankings",
    doc({
      operationId: "getRankings",
      tag: "hours",
      who: "staff",
      summary: "Branches or members ranked by their weighted score for a month, quarter or year",
      ok: { 200: R.Rankings },
      refuses: [403, 422],
    }),
    signedIn,
    query(H.RankingsQuery),
    async (c) => {
      const { period, by } = c.req.valid("query");
      return c.json(await Rankings.rank(c.var.deps.store, c.var.actor, communityId(c), period, by));
    },
  );

  app.post(
    "/members/:id/certificates",
    doc({
      operationId: "issueCertificate",
      tag: "hours",
      who: "the member, staff",
      summary: "Issue a numbered certificate of a member's verified hours over a range of days",
      ok: { 201: R.Certificate },
      refuses: [403],
    }),
    signedIn,
    json(H.NewCertificate),
    async (c) => {
      const certificate = await Certificates.issue(c.var.deps.store, c.var.actor, memberId(c), c.req.valid("json"));
      return c.json({ ...certificate, ...(await links(c.var.deps, certificate.number)) }, 201);
    },
  );

  app.get(
    "/members/:id/certificates",
    doc({
      operationId: "listCertificates",
      tag: "hours",
      who: "the member, staff",
      summary: "A member's certificates, newest first",
      ok: { 200: R.CertificatePage },
      refuses: [403],
    }),
    signedIn,
    query(PageQuery),
    async (c) => {
      const { cursor, limit } = c.req.valid("query");
      return c.json(await Certificates.ofMember(c.var.deps.store, c.var.actor, memberId(c), cursor, limit));
    },
  );

  app.get(
    "/certificates/:number",
    doc({
      operationId: "getCertificate",
      tag: "hours",
      who: "anyone with the number (public view); the member, staff (as issued)",
      summary: "A certificate: the public view (no titles, places or ids) for anyone; as issued for the member and staff who send a token",
      ok: { 200: R.CertificateView },
    }),
    // The public view needs no sign-in; the member or staff who send a token get the whole certificate.
    maybeSignedIn,
    async (c) => {
      const certificate = await Certificates.read(c.var.deps.store, c.req.param("number"), c.var.actor);
      return c.json({ ...certificate, ...(await links(c.var.deps, certificate.number)) });
    },
  );

  app.get(
    "/communities/:id/ledger.csv",
    doc({
      operationId: "exportLedger",
      tag: "hours",
      who: "staff",
      summary: "The ledger verified between two days, as CSV for Excel (UTF-8 with BOM)",
      ok: { 200: csvFile("one row per volunteer per wish") },
      refuses: [403, 422],
    }),
    signedIn,
    query(H.DateRange),
    async (c) => {
      const id = communityId(c);
      const range = c.req.valid("query");
      return csv(c, await Ledger.exportCsv(c.var.deps.store, c.var.actor, id, range), `ledger-${id}-${range.from}-${range.to}.csv`);
    },
  );

  app.get(
    "/communities/:id/members.csv",
    doc({
      operationId: "exportMembers",
      tag: "hours",
      who: "staff",
      summary: "The community's people as CSV (phone, name, branch, roles): the import's own format",
      ok: { 200: csvFile("phone, name, branch, roles") },
      refuses: [403],
    }),
    signedIn,
    async (c) => {
      const id = communityId(c);
      return csv(c, await Roster.exportMembers(c.var.deps.store, c.var.actor, id), `members-${id}.csv`);
    },
  );

  app.post(
    "/communities/:id/members/import",
    doc({
      operationId: "importMembers",
      tag: "hours",
      who: "staff",
      summary:
        "Import members and branches from a CSV file (phone, name, branch) sent as the body; answers with the rows it refused and why",
      ok: { 200: R.ImportReport },
      refuses: [403, 409, 422],
    }),
    signedIn,
    upload(csvFile("phone, name, branch: with or without a header row, UTF-8 or GB18030, up to 2 MB")),
    async (c) => {
      const text = decode(await c.req.arrayBuffer());
      return c.json(await Roster.importMembers(c.var.deps.store, c.var.actor, communityId(c), text));
    },
  );

  return app;
}
