import { createEffect, createSignal, on } from "solid-js";
import { get } from "./api";
import type { Page } from "./types";

/** A paged list from the API: the first page when the path changes, more on request. */
export function createPaged<T>(path: () => string | undefined) {
  const [items, setItems] = createSignal<T[]>([]);
  const [cursor, setCursor] = createSignal<string>();
  const [loading, setLoading] = createSignal(false);
  const [loaded, setLoaded] = createSignal(false);
  const [error, setError] = createSignal<unknown>();

  async function fetchPage(p: string, after?: string) {
    setLoading(true);
    setError(undefined);
    try {
      const sep = p.includes("?") ? "&" : "?";
      const page = await get<Page<T>>(after ? `${p}${sep}cursor=${encodeURIComponent(after)}` : p);
      setItems((prev) => (after ? [...prev, ...page.items] : page.items));
      setCursor(page.cursor);
      setLoaded(true);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }

  createEffect(on(path, (p) => p && fetchPage(p)));

  return {
    items,
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
export type Paged<T> = ReturnType<typeof createPaged<T>>;
