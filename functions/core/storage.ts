/**
 * The store's outcomes in the domain's words. The store knows nothing of error codes: a
 * transaction that kept colliding, or a cursor it cannot use, is told here as the answer the
 * API has always given for it.
 */
import {
  BadCursor,
  Contended,
  queryFilled,
  queryPage,
  transact,
  type Item,
  type Page,
  type Store,
  type TransactItem,
  type TransactOutcome,
} from "../store/client.js";
import type { KeyQuery } from "../store/expression.js";
import { fail } from "./errors.js";

/** A transaction's outcome; one that lost to concurrent writers every time is `wish.busy`. */
export async function write(store: Store, items: TransactItem[]): Promise<TransactOutcome> {
  try {
    return await transact(store, items);
  } catch (err) {
    if (err instanceof Contended) fail("wish.busy", "Many people changed this at the same moment; try again.");
    throw err;
  }
}

/**
 * A page of a list a client pages through with a cursor. With `fill`, a filtered list is read on
 * until the page holds that many matches or the list ends.
 */
export async function page<T>(
  store: Store,
  query: KeyQuery,
  cursor: string | undefined,
  shape: (item: Item) => T,
  fill?: number,
): Promise<Page<T>> {
  try {
    const { items, cursor: next } = await (fill ? queryFilled(store, query, fill, cursor) : queryPage(store, query, cursor));
    return { items: items.map(shape), cursor: next };
  } catch (err) {
    if (err instanceof BadCursor) fail("request.bad_cursor", "The cursor is not one this API gave out.");
    throw err;
  }
}
