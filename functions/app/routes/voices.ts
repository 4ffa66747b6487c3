import { Hono, type Context } from "hono";
import { fail } from "../../core/errors.js";
import * as Voices from "../../core/voices.js";
import * as Wish from "../../core/wish.js";
import { doc, json, maybeSignedIn, query, signedIn, type Env } from "../http.js";
import * as R from "../responses.js";
import * as S from "../schemas.js";

const communityId = (c: Context) => {
  const id = c.req.param("id")!;
  return S.Id.safeParse(id).success ? id : fail("community.not_found", `No community ${id.slice(0, 64)}.`);
};
const voiceId = (c: Context) => {
  const id = c.req.param("id")!;
  return S.Id.safeParse(id).success ? id : fail("voice.not_found", `No message ${id.slice(0, 64)}.`);
};

/** 微心声: residents' messages, answered in public by staff. */
export function voiceRoutes() {
  const app = new Hono<Env>();

  app.post(
    "/communities/:id/voices",
    doc({
      operationId: "postVoice",
      tag: "voices",
      who: "signed in",
      summary: "Leave a message for the community (status new)",
      ok: { 201: R.Voice },
    }),
    signedIn,
    json(S.NewVoice),
    async (c) => c.json(await Voices.post(c.var.deps.store, c.var.actor, communityId(c), c.req.valid("json")), 201),
  );

  app.get(
    "/communities/:id/voices",
    doc({
      operationId: "listVoices",
      tag: "voices",
      who: "anyone (answered ones, without phones or ids); staff (all, or by status); the author (mine=true)",
      summary: "The community's messages, newest first",
      ok: { 200: R.VoicePage },
      refuses: [403],
    }),
    maybeSignedIn,
    query(S.VoiceQuery),
    async (c) => c.json(await Voices.list(c.var.deps.store, c.var.actor, communityId(c), c.req.valid("query"))),
  );

  app.post(
    "/voices/:id/answer",
    doc({
      operationId: "answerVoice",
      tag: "voices",
      who: "community staff",
      summary: "Answer a message in public; 409 when it has an answer",
      ok: { 200: R.Voice },
      refuses: [403, 409],
    }),
    signedIn,
    json(S.VoiceAnswer),
    async (c) => c.json(await Voices.answer(c.var.deps.store, c.var.actor, voiceId(c), c.req.valid("json"))),
  );

  app.post(
    "/voices/:id/wish",
    doc({
      operationId: "wishFromVoice",
      tag: "voices",
      who: "community staff",
      summary: "Make a wish of a message: the writer owns it (submitted); 409 when one was made already",
      ok: { 201: R.Wish },
      refuses: [403, 409],
    }),
    signedIn,
    json(S.VoiceToWish),
    async (c) => {
      const wish = await Voices.toWish(c.var.deps.store, c.var.actor, voiceId(c), c.req.valid("json"));
      return c.json(Wish.present(wish, ["staff"]), 201);
    },
  );

  return app;
}
