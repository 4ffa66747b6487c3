import { tx, type KeyQuery, type TransactItem } from "../expression.js";

/** Every community, for the scheduled jobs: one partition, read page by page. */
export const key = (id: string) => ({ pk: "COMMUNITIES", sk: id });

export const create = (id: string, createdAt: string): TransactItem => tx.put({ ...key(id), type: "community-entry", id, createdAt });
export const all = (): KeyQuery => ({ pk: key("").pk });
