import { batch } from "solid-js";
import { get, put } from "./api";
import { openIn } from "./community";
import { updateMe } from "./session";
import type { Me, MeAtHome, ProfileChange } from "./types";

/** Who the person is: read at every opening (index.tsx starts it with the files, the shell takes it). */
export const mePath = "/api/me";

/**
 * Reads who the person is again (roles change on the server at any time). The community the app
 * opens in comes in the same answer, so a phone that knew only its token needs no second read for it.
 */
export async function refreshMe(): Promise<Me> {
  const { community, ...who } = await get<MeAtHome>(mePath);
  // Together: the shell's community effect sees the person and their community at once, and asks for nothing more.
  batch(() => {
    if (community) openIn(community);
    updateMe(who);
  });
  return who;
}

/** Saves what the person says about themselves and keeps the session's copy in step. */
export async function saveProfile(change: ProfileChange): Promise<Me> {
  const who = await put<Me>(mePath, change);
  updateMe(who);
  return who;
}
