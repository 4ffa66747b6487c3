import { createEffect, createSignal, on } from "solid-js";
import { ApiError, get } from "./api";
import { me } from "./session";
import type { Page } from "./types";

/**
 * A paged list from the API: the first page when the path changes, more on request. With
 * `wholeUpTo`, as many pages as that at once: for queues that must be seen whole to be put in
 * order (the oldest waiting first), which are short in any community that keeps up with them.
 */
export function createPaged<T>(path: () => string | undefined, opts: { wholeUpTo?: number } = {}) {
  const [items, setItems] = createSignal<T[]>([]);
  /** When the list shown was kept on the phone, because the network is gone: when it was fetched. */
  const [savedAt, setSavedAt] = createSignal<string>();
  const [cursor, setCursor] = createSignal<string>();
  const [loading, setLoading] = createSignal(false);
  const [loaded, setLoaded] = createSignal(false);
  const [error, setError] = createSignal<unknown>();

  async function fetchPage(p: string, after?: string) {
    setLoading(true);
    setError(undefined);
    try {
      const sep = p.includes("?") ? "&" : "?";
      const at = (c?: string) => get<Page<T>>(c ? `${p}${sep}cursor=${encodeURIComponent(c)}` : p);
      const page = await at(after);
      for (let n = 1; page.cursor && n < (opts.wholeUpTo ?? 1); n++) {
        const next = await at(page.cursor);
        page.items.push(...next.items);
        page.cursor = next.cursor;
      }
      setItems((prev) => (after ? [...prev, ...page.items] : page.items));
      setCursor(page.cursor);
      setLoaded(true);
      setSavedAt(undefined);
      if (!after) keep(p, page.items);
    } catch (err) {
      const kept = !after && err instanceof ApiError && err.status === 0 ? recall<T>(p) : undefined;
      if (kept) {
        setItems(kept.items);
        setCursor(undefined);
        setSavedAt(kept.at);
        setLoaded(true);
      } else setError(err);
    } finally {
      setLoading(false);
    }
  }

  createEffect(on(path, (p) => p && fetchPage(p)));

  return {
    items,
    savedAt,
    loading,
    loaded,
    error,
    more: () => Boolean(cursor()),
    loadMore: () => {
      const p = path();
      if (p && cursor()) return fetchPage(p, cursor());
    },
    reload: () => {
      const p = path();
      if (p) return fetchPage(p);
    },
    setItems,
  };
}
/** The first page of each list, kept on the phone per person, so that offline the last one seen shows (and says so). */
const keptKey = (path: string) => `mw.list.${me()?.id ?? ""}.${path}`;
function keep<T>(path: string, items: T[]) {
  try {
    localStorage.setItem(keptKey(path), JSON.stringify({ at: new Date().toISOString(), items: items.slice(0, 50) }));
  } catch {
    // Storage full or refused: offline, the list says it could not load instead.
  }
}
function recall<T>(path: string): { at: string; items: T[] } | undefined {
  try {
    const raw = localStorage.getItem(keptKey(path));
    return raw ? JSON.parse(raw) : undefined;
  } catch {
    return undefined;
  }
}

export type Paged<T> = ReturnType<typeof createPaged<T>>;

/** Every item of a paged list, up to `maxPages` pages. */
export async function getAll<T>(path: string, maxPages: number): Promise<T[]> {
  const sep = path.includes("?") ? "&" : "?";
  const items: T[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < maxPages; n++) {
    const page = await get<Page<T>>(cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path);
    items.push(...page.items);
    cursor = page.cursor;
    if (!cursor) break;
  }
  return items;
}
