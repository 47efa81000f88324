import i18next, { type i18n as I18n, type Resource } from "i18next";
import { initReactI18next } from "react-i18next";

/** Languages of the staff app. Japanese first. */
export const languages = ["ja", "en"] as const;
export type Language = (typeof languages)[number];
export const defaultLanguage: Language = "ja";

const storageKey = "kansen.lang";

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (languages as readonly string[]).includes(value);
}

function storedLanguage(): Language | null {
  try {
    const value = globalThis.localStorage?.getItem(storageKey);
    return isLanguage(value) ? value : null;
  } catch {
    return null;
  }
}

function storeLanguage(lang: Language): void {
  try {
    globalThis.localStorage?.setItem(storageKey, lang);
  } catch {
    // Private mode or storage disabled: the choice lasts for this page only.
  }
}

function applyDocumentLanguage(lang: string): void {
  if (typeof document !== "undefined") document.documentElement.lang = lang;
}

/**
 * Builds resources from the JSON files matched by an `import.meta.glob` of `src/i18n/<lang>/<ns>.json`.
 * Each bundle passes its own glob so that it only carries the namespaces it uses.
 */
export function resourcesFromGlob(files: Record<string, unknown>): Resource {
  const resources: Resource = {};
  for (const [path, content] of Object.entries(files)) {
    const match = /\/i18n\/([^/]+)\/([^/]+)\.json$/.exec(path);
    if (!match) continue;
    const [, lang, ns] = match;
    resources[lang] ??= {};
    resources[lang][ns] = content as Record<string, unknown>;
  }
  return resources;
}

/** Initialises i18next synchronously (resources are bundled) with the stored or default language. */
export function setupI18n(resources: Resource, options: { defaultNS?: string } = {}): I18n {
  const instance = i18next.createInstance();
  const namespaces = [...new Set(Object.values(resources).flatMap((r) => Object.keys(r)))];
  const lng = storedLanguage() ?? defaultLanguage;
  instance.use(initReactI18next).init({
    resources,
    lng,
    fallbackLng: defaultLanguage,
    supportedLngs: [...languages],
    ns: namespaces,
    defaultNS: options.defaultNS ?? "common",
    fallbackNS: "common",
    interpolation: { escapeValue: false }, // React escapes.
    returnNull: false,
    initAsync: false,
    react: { useSuspense: false },
  });
  applyDocumentLanguage(instance.language ?? lng);
  instance.on("languageChanged", (next) => {
    applyDocumentLanguage(next);
    if (isLanguage(next)) storeLanguage(next);
  });
  return instance;
}
