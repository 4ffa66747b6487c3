import { put } from "./api";
import { updateMe } from "./session";
import type { Me, ProfileChange } from "./types";

/** Saves what the person says about themselves and keeps the session's copy in step. */
export async function saveProfile(change: ProfileChange): Promise<Me> {
  const who = await put<Me>("/api/me", change);
  updateMe(who);
  return who;
}
