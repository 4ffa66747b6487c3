import type { Item } from "../client.js";
import { and, beginsWith, eq, exists, notExists, tx, type KeyQuery, type TransactItem } from "../expression.js";
import { fields, pick, shapeOf, type Decided, type Proven } from "./item.js";

/** 微心声: a message a resident leaves for their community; staff answer it in public, or make a wish of it. */
export interface Voice {
  id: string;
  communityId: string;
  authorId: string;
  authorName: string;
  text: string;
  status: "new" | "answered";
  createdAt: string;
  answer?: { text: string; byId: string; byName: string; at: string };
  /** the wish staff made of it */
  wishId?: string;
}

export const key = (id: string) => ({ pk: `V#${id}`, sk: "V" });
export const byStatusKey = (communityId: string, status: Voice["status"], createdAt: string, id: string) => ({
  gsi1pk: `C#${communityId}#V#${status}`,
  gsi1sk: `${createdAt}#${id}`,
});
export const byAuthorKey = (authorId: string, createdAt: string, id: string) => ({
  gsi2pk: `U#${authorId}`,
  gsi2sk: `V#${createdAt}#${id}`,
});
export const byCommunityKey = (communityId: string, createdAt: string, id: string) => ({
  gsi3pk: `C#${communityId}#V`,
  gsi3sk: `${createdAt}#${id}`,
});

export const toItem = (v: Voice): Item => ({
  ...key(v.id),
  ...byStatusKey(v.communityId, v.status, v.createdAt, v.id),
  ...byAuthorKey(v.authorId, v.createdAt, v.id),
  ...byCommunityKey(v.communityId, v.createdAt, v.id),
  type: "voice",
  ...v,
});
export const fromItem: (item: Item) => Voice = shapeOf;

export const create = (v: Voice) => tx.put(toItem(v), notExists("pk"));

/** Answers a message once: a second answer finds one there and is refused. */
export const answer = (v: Voice, given: NonNullable<Voice["answer"]>) =>
  tx.update(
    key(v.id),
    { set: { answer: given, status: "answered", gsi1pk: byStatusKey(v.communityId, "answered", v.createdAt, v.id).gsi1pk } },
    and(exists("pk"), notExists("answer")),
  );

/** Notes the wish made of a message, once, in the same transaction that makes the wish. */
export const madeWish = (id: string, wishId: string): TransactItem =>
  tx.update(key(id), { set: { wishId } }, and(exists("pk"), notExists("wishId")));

/** A community's messages in one status, newest first. */
export const inStatus = (communityId: string, status: Voice["status"]): KeyQuery => ({
  index: "byStatus",
  pk: byStatusKey(communityId, status, "", "").gsi1pk,
  forward: false,
});
/** All of a community's messages, newest first. */
export const ofCommunity = (communityId: string): KeyQuery => ({
  index: "byCommunity",
  pk: byCommunityKey(communityId, "", "").gsi3pk,
  forward: false,
});
/** A person's own messages to one community, newest first. */
export const ofAuthor = (authorId: string, communityId: string): KeyQuery => ({
  index: "byUser",
  pk: `U#${authorId}`,
  sk: beginsWith("V#"),
  forward: false,
  filter: eq("communityId", communityId),
});

/** What everyone sees of an answered message: the words and the names, never a phone or an account id. */
const publicFields = fields("id communityId authorName text status createdAt answer wishId") satisfies (keyof Voice)[];
/** Staff and the author also see whose it is. */
const fullFields = fields("id communityId authorId authorName text status createdAt answer wishId") satisfies (keyof Voice)[];
export type PresenterCovers = Proven<Decided<Voice, (typeof fullFields)[number]>>;

export function present(v: Voice, audience: "public" | "full") {
  const shown = pick(v, audience === "full" ? fullFields : publicFields);
  if (audience === "public" && shown.answer)
    return { ...shown, answer: { text: shown.answer.text, byName: shown.answer.byName, at: shown.answer.at } };
  return shown;
}

export const isVoice = (item: Item) => item.sk === "V" && String(item.pk).startsWith("V#");
