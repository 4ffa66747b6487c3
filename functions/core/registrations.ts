/**
 * Joining a community: a person registers (报到) and its staff approve or reject with a reason;
 * a person staff import who has an account already is invited and joins only by accepting.
 * Either way the membership, the decision and its audit event go in one transaction.
 */
import { ulid } from "ulid";
import { getItem, getMany, queryAll, type Store, type TransactItem } from "../store/client.js";
import * as registrations from "../store/entities/registration.js";
import * as roleItems from "../store/entities/role.js";
import type { Invitation, Registration } from "../store/entities/registration.js";
import * as Community from "./community.js";
import { fail } from "./errors.js";
import { hasRole, type Actor } from "./identity.js";
import type { Role } from "./model.js";
import { page, write } from "./storage.js";
import * as Units from "./units.js";

export type { Invitation, Registration } from "../store/entities/registration.js";

/** The person's membership with `member` added (their other roles kept), written only over what was read. */
async function joinItem(store: Store, userId: string, communityId: string, name: string, branchId?: string): Promise<TransactItem> {
  const held = await getItem(store, roleItems.key(userId, communityId));
  const was = held ? roleItems.fromItem(held) : undefined;
  const roles: Role[] = [...new Set<Role>([...((was?.roles ?? []) as Role[]), "member"])];
  return roleItems.replace({ userId, communityId, name: was?.name ?? name, roles, branchId: branchId ?? was?.branchId }, was);
}

export async function register(store: Store, actor: Actor, communityId: string, input: { name: string; branchId?: string; note?: string }) {
  const community = await Community.fromId(store, communityId);
  if (input.branchId && !community.branches.some((b) => b.id === input.branchId)) {
    fail("registration.invalid", `${community.name} has no branch ${input.branchId}.`, { field: "branchId" });
  }
  if (hasRole(actor, communityId, "member")) fail("registration.exists", `You are a member of ${community.name} already.`);
  const registration: Registration = {
    id: ulid(),
    communityId,
    userId: actor.id,
    name: input.name,
    branchId: input.branchId,
    note: input.note,
    status: "pending",
    createdAt: new Date().toISOString(),
  };
  const outcome = await write(store, registrations.create(registration));
  if (!outcome.ok) fail("registration.exists", `You have registered with ${community.name} already; its staff will decide.`);
  return registration;
}

function mayDecide(actor: Actor, communityId: string) {
  if (!hasRole(actor, communityId, "staff")) fail("registration.forbidden", "Only staff of this community may decide its registrations.");
}

export async function list(store: Store, actor: Actor, communityId: string, status: Registration["status"], cursor?: string, limit = 50) {
  if (!(await Units.mayRead(store, actor, communityId)))
    fail("registration.forbidden", "Only staff of this community may list its registrations.");
  return page(store, registrations.inStatus(communityId, status, limit), cursor, registrations.fromItem);
}

async function load(store: Store, id: string) {
  const item = await getItem(store, registrations.key(id));
  return item ? registrations.fromItem(item) : fail("registration.not_found", `No registration ${id}.`);
}

/** Approves or rejects a pending registration; approving makes the person a member. A second decision is refused. */
export async function decide(store: Store, actor: Actor, id: string, verdict: "approved" | "rejected", reason?: string) {
  const r = await load(store, id);
  mayDecide(actor, r.communityId);
  if (r.status !== "pending") fail("registration.decided", `This registration was ${r.status} already.`, { registrationStatus: r.status });
  const at = new Date().toISOString();
  const items = [
    ...registrations.decide(r, verdict, at, actor.id, reason),
    Units.auditOf(
      actor,
      r.communityId,
      verdict === "approved" ? "registration.approve" : "registration.reject",
      { id, status: "pending" },
      {
        id,
        status: verdict,
        reason,
      },
    ),
  ];
  if (verdict === "approved") items.push(await joinItem(store, r.userId, r.communityId, r.name, r.branchId));
  const outcome = await write(store, items);
  if (!outcome.ok) {
    const now = await load(store, id);
    if (now.status !== "pending")
      fail("registration.decided", `This registration was ${now.status} already.`, { registrationStatus: now.status });
    fail("registration.changed", "This person's membership changed at the same moment; try again.");
  }
  return { ...r, status: verdict, reason, decidedAt: at, decidedBy: actor.id };
}

/** The person's own registrations, newest first: still pending, or decided (with the reason, when rejected). */
export async function mine(store: Store, actor: Actor): Promise<Registration[]> {
  const markers = await queryAll(store, registrations.markersOf(actor.id));
  const found = await getMany(
    store,
    markers.map((m) => registrations.key(String(m.registrationId))),
  );
  return found.map(registrations.fromItem).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** An invitation for a roll's row whose phone has an account already. */
export const inviteItem = (actor: Actor, community: { id: string; name: string }, userId: string, name: string, branchId?: string) =>
  registrations.invite({
    userId,
    communityId: community.id,
    communityName: community.name,
    name,
    branchId,
    invitedBy: actor.id,
    invitedByName: actor.name,
    createdAt: new Date().toISOString(),
  });

export async function invitations(store: Store, actor: Actor): Promise<Invitation[]> {
  return (await queryAll(store, registrations.invitationsOf(actor.id))).map(registrations.invitationFromItem);
}

/** Accepting joins the community as a member; declining only removes the invitation. */
export async function answer(store: Store, actor: Actor, communityId: string, accept: boolean) {
  const item = await getItem(store, registrations.invitationKey(actor.id, communityId));
  if (!item) fail("invitation.not_found", `No invitation from ${communityId} waits for you.`);
  const invitation = registrations.invitationFromItem(item!);
  const items = [registrations.answer(actor.id, communityId)];
  if (accept) items.push(await joinItem(store, actor.id, communityId, invitation.name, invitation.branchId));
  if (!(await write(store, items)).ok) fail("invitation.not_found", "This invitation was answered already.");
  return { communityId, accepted: accept };
}
