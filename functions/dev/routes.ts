import { router } from "../app/http.js";
import { OutboxQuery } from "../app/schemas.js";
import { issueToken } from "../core/identity.js";
import { readOutbox } from "../notify/local.js";
import { demoPeople } from "./seed.js";

/** Helpers for local runs, mounted by `functions/local.ts` only: the Lambda handler never imports this folder. */
export function devRoutes() {
  const r = router("/api/dev");

  r.route({ method: "get", path: "/outbox", tag: "local only", who: "local runs", auth: false, summary: "Messages the local notifier delivered, newest first", query: OutboxQuery }, async ({ c, query }) =>
    c.json(await readOutbox(c.get("deps").store, query.to)),
  );

  r.route({ method: "get", path: "/demo", tag: "local only", who: "local runs", auth: false, summary: "The demo community and its people, each with a ready token" }, async ({ c }) => {
    const deps = c.get("deps");
    const demo = await demoPeople(deps.store);
    const secret = await deps.secret();
    const people = await Promise.all(demo.people.map(async (p) => ({ ...p, token: await issueToken(secret, p.id) })));
    return c.json({ communityId: demo.communityId, people });
  });

  return r;
}
