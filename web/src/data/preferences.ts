import { get, put } from "./api";
import type { Locale, PreferencesChange } from "./types";

/** The choices the person makes here: the language, the notice kinds that also come by SMS, the categories of new wishes. */
export type Preferences = PreferencesChange;

export async function loadPreferences(): Promise<Preferences> {
  const { lang, sms, categories } = await get<Preferences>("/api/me/preferences");
  return { lang, sms, categories };
}

export const savePreferences = (p: Preferences) => put<Preferences>("/api/me/preferences", p);

/** The server writes notifications and text messages in the person's language: keep it the one they chose here. */
export async function rememberLanguage(lang: Locale) {
  const current = await loadPreferences();
  if (current.lang !== lang) await savePreferences({ ...current, lang });
}
