import type { CategoryCode, MenuKind } from "../../core/model.js";
import type { Item } from "../client.js";
import { and, beginsWith, eq, exists, notExists, tx, type KeyQuery, type Put } from "../expression.js";
import { fields, pick, shapeOf, type Decided, type Proven } from "./item.js";

/** An item of a community's service menu (服务清单): a branch's standing offer that residents order from. */
export interface MenuItem {
  id: string;
  communityId: string;
  kind: MenuKind;
  title: string;
  /** what is offered, in the branch's words */
  description: string;
  /** the category a wish ordered from it takes */
  category: CategoryCode;
  /** when it is offered, as people say it: 每周六上午, 预约上门 */
  when?: string;
  /** where: 社区服务站, 上门 */
  where?: string;
  /** the offering branch, whose members hear of an order first */
  branchId: string;
  branchName: string;
  status: "active" | "withdrawn";
  version: number;
  createdAt: string;
  updatedAt: string;
  withdrawnAt?: string;
}

/** A community's menu is one partition: listed with one strongly consistent query. */
const partitionKey = (communityId: string) => `C#${communityId}#M`;
export const key = (communityId: string, id: string) => ({ pk: partitionKey(communityId), sk: `M#${id}` });

export const toItem = (m: MenuItem): Item => ({ ...key(m.communityId, m.id), type: "menu-item", ...m });
export const fromItem: (item: Item) => MenuItem = shapeOf;

export const create = (m: MenuItem): Put => tx.put(toItem(m), notExists("pk"));
/** Writes an edit (or the withdrawal) over the version read: a change made meanwhile is never overwritten. */
export const replace = (m: MenuItem, was: MenuItem): Put => tx.put(toItem(m), and(exists("pk"), eq("version", was.version)));

/** A community's menu, oldest first. */
export const ofCommunity = (communityId: string): KeyQuery => ({
  pk: partitionKey(communityId),
  sk: beginsWith("M#"),
  consistent: true,
});

const shown = fields(`
  id communityId kind title description category when where branchId branchName status version createdAt updatedAt withdrawnAt
`) satisfies (keyof MenuItem)[];
export type PresenterCovers = Proven<Decided<MenuItem, (typeof shown)[number]>>;

export const present = (m: MenuItem) => pick(m, shown);
