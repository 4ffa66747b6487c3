/**
 * 微心声: residents leave a message for their community; staff answer it, and answered messages are
 * the community's public page (names and words, never a phone); staff may make a wish of one, which
 * belongs to the resident who wrote it.
 */
import { ulid } from "ulid";
import { getItem, putItem, updateItem, type Store } from "../store/client.js";
import * as voices from "../store/entities/voice.js";
import type { Voice } from "../store/entities/index.js";
import * as Community from "./community.js";
import { fail } from "./errors.js";
import { getUser, hasRole, type Actor } from "./identity.js";
import type { CategoryCode } from "./model.js";
import { page } from "./storage.js";
import * as Wish from "./wish.js";

export type { Voice };

const notFound = (id: string): never => fail("voice.not_found", `No message ${id.slice(0, 64)}.`);

export async function load(store: Store, id: string): Promise<Voice> {
  const item = await getItem(store, voices.key(id));
  return item ? voices.fromItem(item) : notFound(id);
}

export async function post(store: Store, actor: Actor, communityId: string, input: { text: string }) {
  if (!(await Community.exists(store, communityId))) fail("community.not_found", `No community ${communityId}.`);
  const at = new Date().toISOString();
  const voice: Voice = {
    id: ulid(Date.parse(at)),
    communityId,
    authorId: actor.id,
    authorName: actor.name,
    text: input.text,
    status: "new",
    createdAt: at,
  };
  await putItem(store, voices.create(voice));
  return voices.present(voice, "full");
}

export type ListQuery = { status?: Voice["status"]; mine?: boolean; cursor?: string; limit?: number };

/**
 * Anyone reads a community's answered messages; its staff read them all (or by status); a signed-in
 * person reads their own with `mine`, answered or not.
 */
export async function list(store: Store, actor: Actor | undefined, communityId: string, q: ListQuery) {
  const limit = q.limit ?? 20;
  const staff = actor ? hasRole(actor, communityId, "staff") : false;
  if (q.mine) {
    if (!actor) fail("auth.unauthenticated", "Sign in to read your own messages.");
    const own = await page(store, voices.ofAuthor(actor!.id, communityId), q.cursor, voices.fromItem, limit);
    return { items: own.items.map((v) => voices.present(v, "full")), cursor: own.cursor };
  }
  if (!staff && q.status && q.status !== "answered") {
    fail("voice.forbidden", "Only the community's staff read messages not yet answered.");
  }
  if (!staff && !(await Community.exists(store, communityId))) fail("community.not_found", `No community ${communityId}.`);
  const status = staff ? q.status : "answered";
  const query = status ? voices.inStatus(communityId, status) : voices.ofCommunity(communityId);
  const found = await page(store, { ...query, limit }, q.cursor, voices.fromItem);
  return { items: found.items.map((v) => voices.present(v, staff ? "full" : "public")), cursor: found.cursor };
}

function staffOnly(actor: Actor, voice: Voice, what: string) {
  if (!hasRole(actor, voice.communityId, "staff")) fail("voice.forbidden", `Only the community's staff may ${what} a message.`);
}

/** Answers once, in public: a second answer, even at the same moment, is refused. */
export async function answer(store: Store, actor: Actor, id: string, input: { text: string }) {
  const voice = await load(store, id);
  staffOnly(actor, voice, "answer");
  const already = () => fail("voice.answered", "This message has been answered already.", { answeredBy: voice.answer?.byName });
  if (voice.answer) already();
  const given = { text: input.text, byId: actor.id, byName: actor.name, at: new Date().toISOString() };
  const updated = await updateItem(store, voices.answer(voice, given));
  if (!updated.ok) already();
  return voices.present({ ...voice, answer: given, status: "answered" }, "full");
}

/** The first line of a message, as a wish's title. */
function titleOf(text: string) {
  const first =
    text
      .split(/\r?\n/)
      .find((l) => l.trim())
      ?.trim() ?? text;
  const cps = [...first];
  return cps.length <= 80 ? first : `${cps.slice(0, 79).join("")}…`;
}

/**
 * Makes a wish of a message, once: the resident who wrote it owns the wish (and hears of it with its
 * code), the message's words are its description, and the message keeps the wish's id.
 */
export async function toWish(store: Store, actor: Actor, id: string, input: { category: CategoryCode; title?: string }) {
  const voice = await load(store, id);
  staffOnly(actor, voice, "make a wish of");
  const made = () => fail("voice.wished", "A wish was made of this message already.", { wishId: voice.wishId });
  if (voice.wishId) made();
  const owner = await getUser(store, voice.authorId);
  if (!owner) fail("user.not_found", "The person who wrote this message no longer has an account.");
  const title = input.title ?? titleOf(voice.text);
  const { wish } = await Wish.create(
    store,
    actor,
    { communityId: voice.communityId, category: input.category, title, description: voice.text },
    undefined,
    undefined,
    { owner: owner!, also: (wishId) => voices.madeWish(voice.id, wishId), refused: made },
  );
  return wish;
}
