import type { Deps } from "./http.js";

/** Where a printed QR code must lead: the configured public address, whatever Host the request named. */
export const links = async (deps: Pick<Deps, "publicUrl">, number: string) => {
  const origin = (await deps.publicUrl()).replace(/\/$/, "");
  return { printUrl: `${origin}/api/certificates/${number}/print`, verifyUrl: `${origin}/api/certificates/${number}/verify` };
};
