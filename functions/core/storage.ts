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

const badCursor = () => fail("request.bad_cursor", "The cursor is not one this API gave out.");

/** A transaction's outcome; one that lost to concurrent writers every time is `wish.busy`. */
export async function write(store: Store, items: TransactItem[]): Promise<TransactOutcome> {
  try {
    return await transact(store, items);
  } catch (err) {
    if (err instanceof Contended) fail("wish.busy", "Many people changed this at the same moment; try again.");
    throw err;
  }
}

/** A page of a list a client pages through with a cursor. */
export async function page<T>(store: Store, query: KeyQuery, cursor: string | undefined, shape: (item: Item) => T): Promise<Page<T>> {
  try {
    const out = await queryPage(store, query, cursor);
    return { items: out.items.map(shape), cursor: out.cursor };
  } catch (err) {
    if (err instanceof BadCursor) badCursor();
    throw err;
  }
}

/** A page of a filtered list, full while matches remain. */
export async function filledPage<T>(store: Store, query: KeyQuery, limit: number, cursor: string | undefined, shape: (item: Item) => T): Promise<Page<T>> {
  try {
    const out = await queryFilled(store, query, limit, cursor);
    return { items: out.items.map(shape), cursor: out.cursor };
  } catch (err) {
    if (err instanceof BadCursor) badCursor();
    throw err;
  }
}
