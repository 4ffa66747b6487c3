import { Hono } from "hono";
import * as z from "zod/mini";
import { doc, query, type Env } from "../app/http.js";
import { OutboxQuery } from "../app/schemas.js";
import { issueToken } from "../core/identity.js";
import { roles } from "../core/model.js";
import { readOutbox } from "../notify/local.js";
import { unitKinds } from "../store/entities/unit.js";
import { demoPeople } from "./seed.js";

const Outbox = z.array(z.strictObject({ to: z.string(), channel: z.string(), kind: z.string(), text: z.string(), at: z.iso.datetime() }));
const Demo = z.strictObject({
  communityId: z.string(),
  units: z.array(z.strictObject({ id: z.string(), kind: z.enum(unitKinds), name: z.string(), parentId: z.optional(z.string()) })),
  people: z.array(
    z.strictObject({
      id: z.string(),
      phone: z.string(),
      name: z.string(),
      role: z.enum(roles),
      branchId: z.optional(z.string()),
      unitId: z.optional(z.string()),
      gridLeader: z.optional(z.boolean()),
      communityId: z.optional(z.string()),
      token: z.string(),
    }),
  ),
});

/** Helpers for local runs, mounted by `functions/local.ts` only: the Lambda handler never imports this folder. */
export function devRoutes() {
  const app = new Hono<Env>();

  app.get(
    "/dev/outbox",
    doc({
      operationId: "readOutbox",
      tag: "local only",
      who: "local runs",
      summary: "Messages the local notifier delivered, newest first",
      ok: { 200: Outbox },
    }),
    query(OutboxQuery),
    async (c) => c.json(await readOutbox(c.var.deps.store, c.req.valid("query").to)),
  );

  app.get(
    "/dev/demo",
    doc({
      operationId: "demoPeople",
      tag: "local only",
      who: "local runs",
      summary: "The demo community, the county's units, and their people (staff with the unit they serve), each with a ready token",
      ok: { 200: Demo },
    }),
    async (c) => {
      const { store, secret } = c.var.deps;
      const demo = await demoPeople(store);
      const key = await secret();
      const people = await Promise.all(demo.people.map(async (p) => ({ ...p, token: await issueToken(key, p.id) })));
      return c.json({ communityId: demo.communityId, units: demo.units, people });
    },
  );

  return app;
}
