import { Hono } from "hono";
import * as Photos from "../../core/photos.js";
import { doc, json, signedIn, type Env } from "../http.js";
import * as R from "../responses.js";
import * as S from "../schemas.js";

export function photoRoutes() {
  const app = new Hono<Env>();

  app.post(
    "/uploads",
    doc({
      operationId: "newUpload",
      tag: "photos",
      who: "signed in",
      summary: "A presigned POST for one photo (JPEG, PNG or WebP, at most 2 MB), valid 5 minutes; send it, then attach `key` to a record",
      ok: { 201: R.Upload },
      refuses: [503],
    }),
    signedIn,
    json(S.Upload),
    async (c) => c.json(await Photos.newUpload(c.var.deps.photos, c.var.actor, c.req.valid("json")), 201),
  );

  return app;
}
