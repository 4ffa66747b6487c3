import { Hono, type Context } from "hono";
import { fail } from "../../core/errors.js";
import * as Menu from "../../core/menu.js";
import { doc, json, signedIn, type Env } from "../http.js";
import * as R from "../responses.js";
import * as S from "../schemas.js";

const communityId = (c: Context) => {
  const id = c.req.param("id")!;
  return S.Id.safeParse(id).success ? id : fail("community.not_found", `No community ${id.slice(0, 64)}.`);
};
const itemId = (c: Context) => {
  const id = c.req.param("itemId")!;
  return S.Id.safeParse(id).success ? id : fail("menu.not_found", `No menu item ${id.slice(0, 64)} in this community.`);
};

/** 服务清单: what the community's branches offer, kept by staff; residents order with POST /wishes { menuItemId }. */
export function menuRoutes() {
  const app = new Hono<Env>();

  app.get(
    "/communities/:id/menu",
    doc({
      operationId: "listMenu",
      tag: "menu",
      who: "signed in (items on offer); staff (withdrawn ones too, listed last)",
      summary: "The community's service menu",
      ok: { 200: R.Menu },
    }),
    signedIn,
    async (c) => c.json(await Menu.list(c.var.deps.store, c.var.actor, communityId(c))),
  );

  app.post(
    "/communities/:id/menu",
    doc({
      operationId: "addMenuItem",
      tag: "menu",
      who: "community staff",
      summary: "Add an item offered by one of the community's branches; 422 naming branchId for a branch it does not have",
      ok: { 201: R.MenuItem },
      refuses: [403, 422],
    }),
    signedIn,
    json(S.MenuItem),
    async (c) => c.json(await Menu.create(c.var.deps.store, c.var.actor, communityId(c), c.req.valid("json")), 201),
  );

  app.put(
    "/communities/:id/menu/:itemId",
    doc({
      operationId: "editMenuItem",
      tag: "menu",
      who: "community staff",
      summary: "Rewrite an item on offer (fields left out are cleared); 409 once withdrawn or changed meanwhile",
      ok: { 200: R.MenuItem },
      refuses: [403, 404, 409, 422],
    }),
    signedIn,
    json(S.MenuItem),
    async (c) => c.json(await Menu.edit(c.var.deps.store, c.var.actor, communityId(c), itemId(c), c.req.valid("json"))),
  );

  app.post(
    "/communities/:id/menu/:itemId/withdraw",
    doc({
      operationId: "withdrawMenuItem",
      tag: "menu",
      who: "community staff",
      summary: "Take an item off the menu (wishes ordered from it go on); 409 when withdrawn already",
      ok: { 200: R.MenuItem },
      refuses: [403, 404, 409],
    }),
    signedIn,
    async (c) => c.json(await Menu.withdraw(c.var.deps.store, c.var.actor, communityId(c), itemId(c))),
  );

  return app;
}
