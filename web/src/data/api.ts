import type { Me } from "./types";
import { refreshed, refreshToken, signOut, signOutExpired, token } from "./session";

/** The API's base URL: same origin locally, the deployed API's URL on AWS (set at build time). */
export const apiBase = (import.meta.env.VITE_API_URL ?? "").replace(/\/$/, "");

/**
 * A refusal or failure as the API described it (problem+json: `code`, `detail`, `errors` per
 * field, and the rule's own details such as `free` places), or `network.offline` when no answer came.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: Record<string, string> = {},
    readonly data: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT";
  body?: unknown;
  headers?: Record<string, string>;
  auth?: boolean;
}

/** One refresh at a time: every call that met an expired token waits for the same new one. */
let renewing: Promise<boolean> | undefined;

/**
 * Trades the kept refresh token for a new pair, silently: the access token lasts an hour, the
 * session 60 days from its last use, so a phone in use is never asked for a code again.
 */
function renew(): Promise<boolean> {
  renewing ??= (async () => {
    const kept = refreshToken();
    if (!kept) return false;
    try {
      const res = await fetch(`${apiBase}/api/auth/refresh`, {
        method: "POST",
        headers: { accept: "application/json", "content-type": "application/json" },
        body: JSON.stringify({ refreshToken: kept }),
      });
      if (!res.ok) return false;
      const out = (await res.json()) as { token: string; refreshToken: string; user: Me };
      refreshed(out.token, out.refreshToken, out.user);
      return true;
    } catch {
      return false;
    }
  })().finally(() => {
    renewing = undefined;
  });
  return renewing;
}

/** Signing out ends the session on the server too, so its refresh token is no use to anyone who copied it. */
export function endSession() {
  const kept = refreshToken();
  signOut();
  if (kept) {
    fetch(`${apiBase}/api/auth/sign-out`, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/json" },
      body: JSON.stringify({ refreshToken: kept }),
    }).catch(() => {
      // Offline: the session runs out by itself.
    });
  }
}

/** The raw response of a call, or the refusal as an ApiError. A string body goes as it is (CSV), anything else as JSON. */
export async function fetchApi(path: string, opts: RequestOptions = {}, retried = false): Promise<Response> {
  const headers: Record<string, string> = { accept: "application/json", ...opts.headers };
  const bearer = token();
  if (bearer && opts.auth !== false) headers.authorization = `Bearer ${bearer}`;
  const raw = typeof opts.body === "string";
  if (opts.body !== undefined) headers["content-type"] ??= raw ? "text/plain; charset=utf-8" : "application/json";
  let res: Response;
  try {
    res = await fetch(apiBase + path, {
      method: opts.method ?? "GET",
      headers,
      body: opts.body === undefined ? undefined : raw ? (opts.body as string) : JSON.stringify(opts.body),
    });
  } catch {
    throw new ApiError(0, navigator.onLine ? "network.failed" : "network.offline", "No answer from the server.");
  }
  if (res.status === 401 && bearer && !retried && (await renew())) return fetchApi(path, opts, true);
  if (!res.ok) await refusal(res, Boolean(bearer));
  return res;
}

/** A refusal as the API words it (RFC 9457), with the rule's own members beside the standard ones. */
type Problem = { code: string; detail: string; errors: Record<string, string>; type: string; title: string; status: number } & Record<
  string,
  unknown
>;

async function refusal(res: Response, signedIn: boolean): Promise<never> {
  let json: Partial<Problem> | undefined;
  try {
    json = await res.json();
  } catch {
    json = undefined;
  }
  const { code, detail, errors, type, title, status, ...data } = json ?? {};
  if (res.status === 401 && signedIn) signOutExpired();
  throw new ApiError(res.status, code ?? `http.${res.status}`, detail ?? res.statusText, errors ?? {}, data);
}

export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await fetchApi(path, opts);
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Reads started before the page that wants them exists (the home page's first list), each handed out once. */
const early = new Map<string, Promise<unknown>>();

/** Starts a read now, for a page about to ask for it: the page's `get` of the same path takes this answer. */
export function prefetch(path: string) {
  if (early.has(path)) return;
  const answer = request(path);
  answer.catch(() => undefined);
  early.set(path, answer);
}

export function get<T>(path: string): Promise<T> {
  const started = early.get(path);
  if (started) {
    early.delete(path);
    return started as Promise<T>;
  }
  return request<T>(path);
}
export const post = <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
  request<T>(path, { method: "POST", body: body ?? {}, headers });
export const put = <T>(path: string, body: unknown) => request<T>(path, { method: "PUT", body });

/** Fetches a file the API makes for signed-in people (a CSV) and hands it to the browser as a download. */
export async function download(path: string, fallbackName: string) {
  const res = await fetchApi(path, { headers: { accept: "text/csv" } });
  const name = /filename="?([^";]+)"?/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = Object.assign(document.createElement("a"), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
