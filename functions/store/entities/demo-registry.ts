import type { Item } from "../client.js";
import { tx, type Put } from "../expression.js";
import { shapeOf } from "./item.js";

/** Local runs only: which community the demo seeded and its people, so the dev routes can hand out sign-ins. */
export interface DemoRegistry<Person = unknown> {
  communityId: string;
  /** the demo county's units, root first */
  units?: { id: string; kind: string; name: string; parentId?: string }[];
  people: Person[];
}

export const key = () => ({ pk: "DEMO", sk: "DEMO" });
export const fromItem: <Person>(item: Item) => DemoRegistry<Person> = shapeOf;
export const put = <Person>(r: DemoRegistry<Person>): Put => tx.put({ ...key(), ...r });
