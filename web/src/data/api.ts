import { token, signOutExpired } from "./session";

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

export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json", ...opts.headers };
  const bearer = token();
  if (bearer && opts.auth !== false) headers.authorization = `Bearer ${bearer}`;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(apiBase + path, { method: opts.method ?? "GET", headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  } catch {
    throw new ApiError(0, navigator.onLine ? "network.failed" : "network.offline", "No answer from the server.");
  }
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const { code, detail, errors, type, title, status, ...data } = json ?? {};
    const err = new ApiError(res.status, code ?? `http.${res.status}`, detail ?? res.statusText, errors ?? {}, data);
    if (res.status === 401 && bearer) signOutExpired();
    throw err;
  }
  return json as T;
}

export const get = <T>(path: string) => request<T>(path);
export const post = <T>(path: string, body?: unknown, headers?: Record<string, string>) => request<T>(path, { method: "POST", body: body ?? {}, headers });
export const put = <T>(path: string, body: unknown) => request<T>(path, { method: "PUT", body });
