import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { community, startApi, wishIn, type Api, type TestCommunity } from "../helpers/api.js";

let api: Api;
let c: TestCommunity;
beforeAll(async () => {
  api = await startApi();
  c = await community(api.store);
});
afterAll(() => api.close());

describe("harness", () => {
  it("drives a wish to closed and credits the volunteer", async () => {
    const id = await wishIn(api, c, "closed");
    const wish = await api.call("GET", `/api/wishes/${id}`, { as: c.staff });
    expect(wish.body.status).toBe("closed");
    expect(wish.body.timeline.map((e: any) => e.kind)).toEqual([
      "submit",
      "approve",
      "claim",
      "check-in",
      "check-out",
      "complete",
      "confirm",
      "verify",
    ]);
    const hours = await api.call("GET", `/api/members/${c.members[0].id}/hours`, { as: c.members[0] });
    expect(hours.body.entries).toHaveLength(0);
  });
});
