/**
 * Where sign-in codes may be sent, and how many an hour: a text to a satellite or premium range
 * costs the deployment money and can be bought by anyone who can type a number, so a deployment
 * names the calling codes it serves (README, "Security" → "Sign-in").
 */

/** One allowed calling code (or a longer prefix, such as one area of +1) and its codes an hour. */
export interface SmsCountry {
  prefix: string;
  perHour: number;
}

export interface SmsRules {
  countries: SmsCountry[];
}

/** Mainland China alone, unless a deployment says otherwise. */
export const defaultCountries = "86";
/** Enough for a city's sign-ins in a busy hour; low enough that pumping one country stays cheap. */
export const defaultPerHour = 1000;

/**
 * Reads `SMS_COUNTRIES` ("86" or "86,852:50": calling codes without "+", each with an optional
 * hourly cap) and `SMS_CODES_PER_COUNTRY_HOUR` (the cap of entries that name none). A setting
 * that cannot be read stops the app at start rather than sending to countries nobody chose.
 */
export function smsRulesFrom(env: { SMS_COUNTRIES?: string; SMS_CODES_PER_COUNTRY_HOUR?: string } = {}): SmsRules {
  const fallback = positive(env.SMS_CODES_PER_COUNTRY_HOUR, "SMS_CODES_PER_COUNTRY_HOUR") ?? defaultPerHour;
  const countries = (env.SMS_COUNTRIES?.trim() || defaultCountries).split(",").map((entry) => {
    const [code, cap, ...rest] = entry.trim().replace(/^\+/, "").split(":");
    if (!/^[1-9]\d{0,5}$/.test(code) || rest.length) {
      throw new Error(`SMS_COUNTRIES: "${entry.trim()}" is not a calling code such as 86 or 852:50`);
    }
    return { prefix: code, perHour: positive(cap, `SMS_COUNTRIES (${code})`) ?? fallback };
  });
  return { countries };
}

function positive(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number above 0, not ${value}`);
  return n;
}

/** The allowed entry an E.164 number falls under (the longest prefix that matches), if any. */
export function countryOf(rules: SmsRules, phone: string): SmsCountry | undefined {
  const digits = phone.replace(/^\+/, "");
  return rules.countries.filter((c) => digits.startsWith(c.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0];
}
