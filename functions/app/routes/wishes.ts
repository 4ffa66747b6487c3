import { Hono, type Context } from "hono";
import type * as z from "zod/mini";
import * as ClaimExpiry from "../../core/claim-expiry.js";
import * as Claims from "../../core/claims.js";
import { fail, type ErrorStatus } from "../../core/errors.js";
import * as Hours from "../../core/hours.js";
import * as Similar from "../../core/similar.js";
import * as Skills from "../../core/skills.js";
import type { Actor } from "../../core/identity.js";
import * as Wish from "../../core/wish.js";
import { remember, scoped, written, type Store } from "../../store/client.js";
import { doc, json, query, signedIn, signedInAlong, type Env } from "../http.js";
import * as R from "../responses.js";
import * as S from "../schemas.js";

const wishId = (c: Context) => {
  const id = c.req.param("id")!;
  return S.Id.safeParse(id).success ? id : fail("wish.not_found", `No wish ${id.slice(0, 64)} that you can see.`);
};

/** The wish's partition, read strongly consistently alongside the caller's roles: a step's first read. */
const partition = signedInAlong((c) => Wish.readPartition(c.var.deps.store, wishId(c)));

/**
 * Runs a lifecycle step and answers with the wish as the caller now sees it, from the state the
 * step wrote: the partition read at the start (which also answers the step's own reads of the
 * wish and claims) with the step's committed writes applied. No read after the write, so the
 * answer can never show the wish as it was before (an eventually consistent read could).
 */
async function stepAnswer(
  c: Context<Env & { Variables: { actor: Actor; early: Promise<Awaited<ReturnType<typeof Wish.readPartition>>> } }>,
  act: (store: Store, actor: Actor, id: string) => Promise<unknown>,
) {
  const id = wishId(c);
  const before = await c.var.early;
  const store = scoped(c.var.deps.store);
  const pk = Wish.partitionKey(id);
  remember(store, pk, before);
  await act(store, c.var.actor, id);
  return c.json(await Wish.viewOf(c.var.actor, id, written(store, pk, before), c.var.deps.photos));
}

export function wishRoutes() {
  const app = new Hono<Env>();

  app.post(
    "/wishes",
    doc({
      operationId: "postWish",
      tag: "wishes",
      who: "resident; staff with onBehalfOf for a resident who phoned or walked in",
      summary:
        "Post a wish (status submitted), with uploaded photos, or order from the service menu (menuItemId; 409 once withdrawn); " +
        "honours Idempotency-Key, answering 200 with the same wish on a replay",
      ok: { 201: R.Wish, 200: R.Wish },
      refuses: [403, 409, 413, 415, 503],
    }),
    signedIn,
    json(S.NewWish),
    async (c) => {
      const key = c.req.header("idempotency-key");
      if (key !== undefined && !/^[\x21-\x7e]{1,128}$/.test(key)) {
        fail("request.bad_idempotency_key", "Idempotency-Key must be 1 to 128 visible ASCII characters.");
      }
      const { wish, replayed } = await Wish.create(c.var.deps.store, c.var.actor, c.req.valid("json"), key, c.var.deps.photos);
      return c.json(Wish.present(wish, ["owner"]), replayed ? 200 : 201);
    },
  );

  app.get(
    "/wishes",
    doc({
      operationId: "listWishes",
      tag: "wishes",
      who: "resident (mine), member, staff",
      summary: "List wishes: mine, or a community's by status",
      ok: { 200: R.WishPage },
      refuses: [403],
    }),
    signedIn,
    query(S.WishQuery),
    async (c) => c.json(await Wish.list(c.var.deps.store, c.var.actor, c.req.valid("query"))),
  );

  // Before /wishes/:id, which would take "similar" for an id.
  app.get(
    "/wishes/similar",
    doc({
      operationId: "similarWishes",
      tag: "wishes",
      who: "signed in (anyone who may post in the community)",
      summary:
        `Before posting: open wishes of the category within ${Similar.radiusMeters} m ` +
        `from the last ${Similar.withinDays} days, nearest first`,
      ok: { 200: R.SimilarWishes },
      refuses: [404],
    }),
    signedIn,
    query(S.SimilarQuery),
    async (c) => c.json(await Similar.near(c.var.deps.store, c.var.actor, c.req.valid("query"))),
  );

  app.get(
    "/wishes/:id",
    doc({
      operationId: "getWish",
      tag: "wishes",
      who: "owner, member, staff",
      summary: "A wish with its claims and timeline",
      ok: { 200: R.WishView },
    }),
    partition,
    async (c) => c.json(await Wish.viewOf(c.var.actor, wishId(c), await c.var.early, c.var.deps.photos)),
  );

  app.get(
    "/wishes/:id/candidates",
    doc({
      operationId: "listCandidates",
      tag: "lifecycle",
      who: "staff, the leader of the wish's grid",
      summary:
        "Members to dispatch, best first: skills matched, then fewest tasks in hand, then nearest (sort=distance or sort=load " +
        "puts that first); with skill=, only those who list it",
      ok: { 200: R.Candidates },
      refuses: [403],
    }),
    signedIn,
    query(S.CandidateQuery),
    async (c) => c.json(await Skills.candidates(c.var.deps.store, c.var.actor, wishId(c), c.req.valid("query"))),
  );

  /** A lifecycle step: run the domain function, answer with the wish as the caller now sees it. */
  function step<B extends z.ZodMiniType>(
    name: string,
    operationId: string,
    who: string,
    summary: string,
    body: B,
    run: (store: Store, actor: Actor, id: string, body: z.output<B>) => Promise<unknown>,
    refuses: ErrorStatus[] = [403, 409],
  ) {
    app.post(
      `/wishes/:id/${name}`,
      doc({ operationId, tag: "lifecycle", who, summary, ok: { 200: R.WishView }, refuses }),
      partition,
      json(body),
      (c) => stepAnswer(c, (store, actor, id) => run(store, actor, id, c.req.valid("json"))),
    );
  }

  step("approve", "approveWish", "staff", "Approve: submitted → open, with slots, estimated time and deadline", S.Approve, Wish.approve);
  step("reject", "rejectWish", "staff", "Reject: submitted → rejected, with a reason", S.Reason, Wish.reject);
  step("dispatch", "dispatchWish", "staff, the leader of the wish's grid", "Claim on members' behalf", S.Dispatch, Claims.dispatch);
  app.post(
    "/wishes/:id/claim",
    doc({
      operationId: "claimWish",
      tag: "lifecycle",
      who: "member",
      summary: "Claim a place; 409 when full or already claimed",
      ok: { 200: R.WishView },
      refuses: [403, 409],
    }),
    partition,
    (c) => stepAnswer(c, Claims.claim),
  );
  step("release", "releaseClaim", "member with a claim", "Give a place back before checking in", S.OptionalReason, (s, a, id, b) =>
    Claims.release(s, a, id, b, "release"),
  );
  step("decline", "declineDispatch", "dispatched member", "Decline a dispatch", S.OptionalReason, (s, a, id, b) =>
    Claims.release(s, a, id, b, "decline"),
  );
  step("check-in", "checkIn", "member with a claim", "Arrive: time and position", S.Position, Claims.checkIn);
  step(
    "check-out",
    "checkOut",
    "member with a claim",
    "Leave: time, position and the resident's code",
    S.CheckOut,
    Claims.checkOut,
    [403, 409, 429],
  );
  app.post(
    "/wishes/:id/complete",
    doc({
      operationId: "completeWish",
      tag: "lifecycle",
      who: "member with a claim",
      summary: "Mark the work done: in_progress → completed, with photos of it (uploaded keys) when given",
      ok: { 200: R.WishView },
      refuses: [403, 409, 413, 415, 503],
    }),
    partition,
    json(S.Complete),
    (c) => stepAnswer(c, (store, actor, id) => Claims.complete(store, actor, id, c.req.valid("json"), c.var.deps.photos)),
  );
  step("confirm", "confirmWish", "owner, or staff on their behalf", "Confirm and rate: completed → confirmed", S.Confirm, Wish.confirm);
  step("dispute", "disputeWish", "owner, or staff", "Not done: completed → in_progress", S.Reason, Wish.dispute);
  step("verify", "verifyHours", "staff", "Verify hours and close: confirmed → closed", S.Verify, Hours.verify);
  step("cancel", "cancelWish", "owner before work starts, or staff", "Cancel", S.Reason, Wish.cancel);

  app.post(
    "/wishes/:id/extend",
    doc({
      operationId: "extendClaim",
      tag: "lifecycle",
      who: "member with a claim",
      summary: "Extend one's claim once, by the community's claimGraceMinutes, before it lapses; 409 the second time",
      ok: { 200: R.WishView },
      refuses: [403, 409],
    }),
    partition,
    (c) => stepAnswer(c, (store, actor, id) => ClaimExpiry.extend(store, actor, id)),
  );
  step(
    "takeover",
    "askTakeover",
    "member without a claim",
    "Ask to take over a stalled claim (not checked in once the window started); staff approve",
    S.TakeoverAsk,
    (s, a, id, b) => ClaimExpiry.askTakeover(s, a, id, b),
  );
  app.post(
    "/wishes/:id/takeover/:memberId/approve",
    doc({
      operationId: "approveTakeover",
      tag: "lifecycle",
      who: "staff",
      summary: "Hand a stalled claim over to the member who asked to take it over",
      ok: { 200: R.WishView },
      refuses: [403, 409],
    }),
    partition,
    (c) => {
      const memberId = c.req.param("memberId")!;
      if (!S.Id.safeParse(memberId).success) fail("takeover.not_found", `Nobody with the id ${memberId.slice(0, 64)} asked.`);
      return stepAnswer(c, (store, actor, id) => ClaimExpiry.approveTakeover(store, actor, id, memberId));
    },
  );

  return app;
}
