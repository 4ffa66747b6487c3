import { expect } from "vitest";
import { loadActor, type Actor } from "../../functions/core/identity.js";
import type { Api, Person, Response, TestCommunity } from "../helpers/api.js";
import { newWish } from "../helpers/api.js";

/** The point `meters` away from `from` on the bearing given, on the sphere of radius 6,371,008.8 m (the mean Earth radius). */
export function destination(from: { lat: number; lng: number }, bearingDegrees: number, meters: number) {
  const R = 6_371_008.8;
  const d = meters / R;
  const b = (bearingDegrees * Math.PI) / 180;
  const lat1 = (from.lat * Math.PI) / 180;
  const lng1 = (from.lng * Math.PI) / 180;
  const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(b));
  const lng2 = lng1 + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(lat1), Math.cos(d) - Math.sin(lat1) * Math.sin(lat2));
  return { lat: (lat2 * 180) / Math.PI, lng: (lng2 * 180) / Math.PI };
}

export async function ok<T = any>(res: Promise<Response<T>>): Promise<T> {
  const r = await res;
  if (r.status >= 300) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A wish posted by the community's first resident, approved for the members given, each of whom claims it. */
export async function claimedBy(api: Api, c: TestCommunity, members: Person[], extra: Record<string, unknown> = {}) {
  const wish = await ok(api.call("POST", "/api/wishes", { as: c.residents[0], body: newWish(c.id, extra) }));
  await ok(api.call("POST", `/api/wishes/${wish.id}/approve`, { as: c.staff, body: { slots: members.length, estimatedMinutes: 60 } }));
  for (const m of members) await ok(api.call("POST", `/api/wishes/${wish.id}/claim`, { as: m }));
  return wish.id as string;
}

export async function actor(api: Api, p: Person): Promise<Actor> {
  return (await loadActor(api.store, p.id))!;
}

/** A refusal as a volunteer's phone receives it: a problem document with the rule's code. */
export function expectProblem(res: Response, status: number, code: string) {
  expect(res.type).toContain("application/problem+json");
  expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
  return res.body;
}
