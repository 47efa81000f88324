import i18next from "i18next";
import { initReactI18next } from "react-i18next";

/**
 * The patient app's own i18n: only its namespace ("my"), in Japanese and the languages foreign
 * residents use most. The staff app's setup is for ja/en only, so this one stands alone.
 */
export const myLanguages = ["ja", "en", "zh", "ko", "vi", "ne", "pt", "tl"] as const;
export type MyLanguage = (typeof myLanguages)[number];

const files = import.meta.glob<Record<string, unknown>>("../i18n/*/my.json", {
  eager: true,
  import: "default",
});
const resources = Object.fromEntries(
  Object.entries(files).map(([path, content]) => [/\/i18n\/([^/]+)\//.exec(path)![1], { my: content }]),
);

const storageKey = "kansen.my.lang";

function initialLanguage(): MyLanguage {
  const stored = globalThis.localStorage?.getItem(storageKey);
  if (stored && (myLanguages as readonly string[]).includes(stored)) return stored as MyLanguage;
  // A phone set to one of our languages opens in it.
  const browser = globalThis.navigator?.language?.slice(0, 2) ?? "ja";
  return (myLanguages as readonly string[]).includes(browser) ? (browser as MyLanguage) : "ja";
}

export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  resources,
  lng: initialLanguage(),
  fallbackLng: "ja",
  supportedLngs: [...myLanguages],
  ns: ["my"],
  defaultNS: "my",
  interpolation: { escapeValue: false },
  initAsync: false,
  react: { useSuspense: false },
});
document.documentElement.lang = i18n.language;
i18n.on("languageChanged", (lang) => {
  document.documentElement.lang = lang;
  try {
    localStorage.setItem(storageKey, lang);
  } catch {
    // Storage disabled: the choice lasts for this page.
  }
});
