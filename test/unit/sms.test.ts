import { describe, expect, it } from "vitest";
import { clientAddress } from "../../functions/core/identity.js";
import { countryOf, defaultPerHour, smsRulesFrom } from "../../functions/core/sms.js";

describe("the countries a deployment sends sign-in codes to", () => {
  it("mainland China alone, 1000 codes an hour, when nothing is set", () => {
    expect(smsRulesFrom({})).toEqual({ countries: [{ prefix: "86", perHour: defaultPerHour }] });
    expect(defaultPerHour).toBe(1000);
  });

  it("a list with caps of its own and a cap for the rest; a leading + and spaces are allowed", () => {
    const rules = smsRulesFrom({ SMS_COUNTRIES: " +86, 852:50 ,1876:5", SMS_CODES_PER_COUNTRY_HOUR: "300" });
    expect(rules.countries).toEqual([
      { prefix: "86", perHour: 300 },
      { prefix: "852", perHour: 50 },
      { prefix: "1876", perHour: 5 },
    ]);
    expect(countryOf(rules, "+8613800138000")?.prefix).toBe("86");
    expect(countryOf(rules, "+18765550123")?.prefix).toBe("1876");
    expect(countryOf(rules, "+12125550123"), "+1 is not served when only one of its areas is").toBeUndefined();
    expect(countryOf(rules, "+88216123456789")).toBeUndefined();
  });

  it.each([
    [{ SMS_COUNTRIES: "china" }, /SMS_COUNTRIES/],
    [{ SMS_COUNTRIES: "86,,852" }, /SMS_COUNTRIES/],
    [{ SMS_COUNTRIES: "086" }, /SMS_COUNTRIES/],
    [{ SMS_COUNTRIES: "852:0" }, /SMS_COUNTRIES \(852\)/],
    [{ SMS_COUNTRIES: "852:5:5" }, /SMS_COUNTRIES/],
    [{ SMS_CODES_PER_COUNTRY_HOUR: "lots" }, /SMS_CODES_PER_COUNTRY_HOUR/],
  ])("%j stops the app at start, naming the setting", (env, message) => {
    expect(() => smsRulesFrom(env)).toThrow(message);
  });
});

describe("the address a client is counted by", () => {
  it.each([
    ["203.0.113.9", "203.0.113.9"],
    ["::ffff:203.0.113.9", "203.0.113.9"],
    ["2001:db8:85a3:7:8a2e:370:7334:1", "2001:db8:85a3:7::/64"],
    ["2001:0db8:85a3:0007:ffff:ffff:ffff:ffff", "2001:db8:85a3:7::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
  ])("%s → %s", (address, client) => expect(clientAddress(address)).toBe(client));
});
