import { describe, expect, it } from "vitest";
import { maskPhone, normalizePhone } from "../../functions/core/identity.js";

describe("phone numbers as residents type them", () => {
  it.each([
    ["13800138000", "+8613800138000"],
    ["138 0013 8000", "+8613800138000"],
    ["138-0013-8000", "+8613800138000"],
    ["+8613800138000", "+8613800138000"],
    ["+447911123456", "+447911123456"],
  ])("%s → %s", (raw, e164) => expect(normalizePhone(raw)).toBe(e164));

  it.each(["12345", "12800138000", "+86 138", "+8612800138000", "abc", "", "+0123456789", "1380013800012"])("refuses %j", (raw) =>
    expect(normalizePhone(raw)).toBeUndefined(),
  );

  it("masks the middle of a number for those not entitled to it", () => {
    expect(maskPhone("+8613800138000")).toBe("138****8000");
    expect(maskPhone("")).toBe("****");
  });
});
