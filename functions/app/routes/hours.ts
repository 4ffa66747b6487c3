import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import * as Certificates from "../../core/certificates.js";
import * as Ledger from "../../core/ledger.js";
import * as Roster from "../../core/roster.js";
import { DomainError, fail } from "../../core/errors.js";
import * as Rankings from "../../core/rankings.js";
import * as Settings from "../../core/settings.js";
import * as Stats from "../../core/stats.js";
import { problem, requireActor, router, type Env } from "../http.js";
import * as H from "../hours-schemas.js";
import { certificatePage, notFoundPage, verificationPage } from "../pages/certificate.js";
import { Id, PageQuery } from "../schemas.js";

const communityId = (c: Context<Env>) => {
  const id = c.req.param("id")!;
  return Id.safeParse(id).success ? id : fail("community.not_found", `No community ${id.slice(0, 64)}.`);
};

const memberId = (c: Context<Env>) => {
  const id = c.req.param("id")!;
  return Id.safeParse(id).success ? id : fail("member.not_found", `No member ${id.slice(0, 64)}.`);
};

/** Where a printed QR code must lead: the public address when one is configured, else the one this request came to. */
const origin = (c: Context<Env>) => process.env.PUBLIC_URL?.replace(/\/$/, "") ?? new URL(c.req.url).origin;
const links = (c: Context<Env>, number: string) => ({
  printUrl: `${origin(c)}/api/certificates/${number}/print`,
  verifyUrl: `${origin(c)}/api/certificates/${number}/verify`,
});

/** The members import takes a file of up to 2 MB (10,000 rows of phone, name and branch fit in well under 1 MB). */
export const rollImport = /^\/api\/communities\/[^/]+\/members\/import$/;
export const rollLimit = bodyLimit({
  maxSize: 2 * 1024 * 1024,
  onError: (c) => problem(c, 413, { code: "request.too_large", detail: "The file is larger than 2 MB: import it in parts." }),
});

/** Bytes from a spreadsheet as text: UTF-8 (with or without BOM), or GB18030, which Chinese Excel writes by default. */
function decode(bytes: ArrayBuffer): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("gb18030").decode(bytes);
  }
}

const csv = (c: Context<Env>, text: string, name: string) =>
  c.body(text, 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}"` });

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

  r.route({ method: "post", path: "/members/:id/certificates", tag: "hours", who: "the member, staff", auth: true, summary: "Issue a numbered certificate of a member's verified hours over a range of days", body: H.NewCertificate, status: 201 }, async ({ c, actor, body }) => {
    const certificate = await Certificates.issue(store(c), actor, memberId(c), body);
    return c.json({ ...certificate, ...links(c, certificate.number) }, 201);
  });

  r.route({ method: "get", path: "/members/:id/certificates", tag: "hours", who: "the member, staff", auth: true, summary: "A member's certificates, newest first", query: PageQuery }, async ({ c, actor, query }) =>
    c.json(await Certificates.ofMember(store(c), actor, memberId(c), query.cursor, query.limit)),
  );

  r.route({ method: "get", path: "/certificates/:number", tag: "hours", who: "anyone with the number; the member, staff", auth: false, summary: "A certificate: public view (no titles, places or ids) for anyone; as issued for the member and staff" }, async ({ c }) => {
    // The public view needs no sign-in; the member or staff who send a token get the whole certificate.
    const actor = c.req.header("authorization") ? await requireActor(c) : undefined;
    const certificate = await Certificates.read(store(c), c.req.param("number")!, actor);
    return c.json({ ...certificate, ...links(c, certificate.number) });
  });

  r.route({ method: "get", path: "/certificates/:number/print", tag: "hours", who: "anyone with the number", auth: false, summary: "The certificate as an HTML page that prints on A4, with a QR code to its verification page" }, async ({ c }) => {
    const certificate = await Certificates.byNumber(store(c), c.req.param("number")!);
    return c.html(await certificatePage(certificate, links(c, certificate.number).verifyUrl));
  });

  r.route({ method: "get", path: "/certificates/:number/verify", tag: "hours", who: "anyone", auth: false, summary: "The public page a certificate's QR code leads to: genuine or not, and what it certifies" }, async ({ c }) => {
    const number = c.req.param("number")!;
    try {
      return c.html(verificationPage(await Certificates.byNumber(store(c), number)));
    } catch (err) {
      if (err instanceof DomainError && err.code === "certificate.not_found") return c.html(notFoundPage(number), 404);
      throw err;
    }
  });

  r.route({ method: "get", path: "/communities/:id/ledger.csv", tag: "hours", who: "staff", auth: true, summary: "The ledger verified between two days, as CSV for Excel (UTF-8 with BOM)", query: H.DateRange }, async ({ c, actor, query }) => {
    const id = communityId(c);
    return csv(c, await Ledger.exportCsv(store(c), actor, id, query), `ledger-${id}-${query.from}-${query.to}.csv`);
  });

  r.route({ method: "get", path: "/communities/:id/members.csv", tag: "hours", who: "staff", auth: true, summary: "The community's people as CSV (phone, name, branch, roles): the import's own format" }, async ({ c, actor }) => {
    const id = communityId(c);
    return csv(c, await Roster.exportMembers(store(c), actor, id), `members-${id}.csv`);
  });

  r.route({ method: "post", path: "/communities/:id/members/import", tag: "hours", who: "staff", auth: true, summary: "Import members and branches from CSV (phone, name, branch; send the file as the body, text/csv); answers with the rows it refused and why" }, async ({ c, actor }) => {
    const text = decode(await c.req.arrayBuffer());
    return c.json(await Roster.importMembers(store(c), actor, communityId(c), text));
  });

  return r;
}
