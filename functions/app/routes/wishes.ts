import * as Claims from "../../core/claims.js";
import { fail } from "../../core/errors.js";
import * as Hours from "../../core/hours.js";
import * as Wish from "../../core/wish.js";
import type { Context } from "hono";
import type * as z from "zod/mini";
import type { Actor } from "../../core/identity.js";
import type { Store } from "../../store/client.js";
import { router, type Env } from "../http.js";
import * as S from "../schemas.js";

const wishId = (id: string) => (S.Id.safeParse(id).success ? id : fail("wish.not_found", `No wish ${id.slice(0, 64)} that you can see.`));

export function wishRoutes() {
  const r = router("/api/wishes");
  const store = (c: Context<Env>) => c.get("deps").store;

  r.route({ method: "post", path: "", tag: "wishes", who: "resident", auth: true, summary: "Post a wish (status submitted); honours Idempotency-Key", body: S.NewWish, status: 201 }, async ({ c, body, actor }) => {
    const key = c.req.header("idempotency-key");
    if (key !== undefined && !/^[\x21-\x7e]{1,128}$/.test(key)) {
      fail("request.bad_idempotency_key", "Idempotency-Key must be 1 to 128 visible ASCII characters.");
    }
    const { wish, replayed } = await Wish.create(store(c), actor, body, key);
    return c.json(Wish.present(wish, ["owner"]), replayed ? 200 : 201);
  });

  r.route({ method: "get", path: "", tag: "wishes", who: "resident (mine), member, staff", auth: true, summary: "List wishes: mine, or a community's by status", query: S.WishQuery }, async ({ c, query, actor }) => {
    return c.json(await Wish.list(store(c), actor, query));
  });

  r.route({ method: "get", path: "/:id", tag: "wishes", who: "owner, member, staff", auth: true, summary: "A wish with its claims and timeline" }, async ({ c, actor }) => {
    return c.json(await Wish.view(store(c), actor, wishId(c.req.param("id")!)));
  });

  /** A lifecycle step: run the domain function, answer with the wish as the caller now sees it. */
  const transition = <B extends z.ZodMiniType | undefined>(
    name: string,
    who: string,
    summary: string,
    body: B,
    run: (store: Store, actor: Actor, id: string, body: B extends z.ZodMiniType ? z.output<B> : undefined) => Promise<unknown>,
  ) =>
    r.route({ method: "post", path: `/:id/${name}`, tag: "lifecycle", who, auth: true, summary, body }, async ({ c, body, actor }) => {
      const id = wishId(c.req.param("id")!);
      await run(store(c), actor, id, body);
      return c.json(await Wish.view(store(c), actor, id));
    });

  transition("approve", "staff", "Approve: submitted → open, with slots, estimated time and deadline", S.Approve, Wish.approve);
  transition("reject", "staff", "Reject: submitted → rejected, with a reason", S.Reason, Wish.reject);
  transition("dispatch", "staff", "Claim on members' behalf", S.Dispatch, Claims.dispatch);
  transition("claim", "member", "Claim a place; 409 when full or already claimed", undefined, (s, a, id) => Claims.claim(s, a, id));
  transition("release", "member with a claim", "Give a place back before checking in", S.OptionalReason, (s, a, id, b) => Claims.release(s, a, id, b, "release"));
  transition("decline", "dispatched member", "Decline a dispatch", S.OptionalReason, (s, a, id, b) => Claims.release(s, a, id, b, "decline"));
  transition("check-in", "member with a claim", "Arrive: time and position", S.Position, Claims.checkIn);
  transition("check-out", "member with a claim", "Leave: time, position and the resident's code", S.CheckOut, Claims.checkOut);
  transition("complete", "member with a claim", "Mark the work done: in_progress → completed", S.Complete, Claims.complete);
  transition("confirm", "owner, or staff on their behalf", "Confirm and rate: completed → confirmed", S.Confirm, Wish.confirm);
  transition("dispute", "owner, or staff", "Not done: completed → in_progress", S.Reason, Wish.dispute);
  transition("verify", "staff", "Verify hours and close: confirmed → closed", S.Verify, Hours.verify);
  transition("cancel", "owner before work starts, or staff", "Cancel", S.Reason, Wish.cancel);

  return r;
}
