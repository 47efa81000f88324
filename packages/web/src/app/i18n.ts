import { resourcesFromGlob, setupI18n } from "./i18nSetup.ts";

/**
 * Staff app translations: every `src/i18n/{ja,en}/<namespace>.json`, one namespace per module
 * (common, auth, home, admin, notifications, cases, health, investigation, stats, beds).
 * A module adds strings by adding `<namespace>.json` in both language folders; nothing to register.
 * The patient app (`src/my/`) has its own light setup and only loads its namespace.
 */
const files = import.meta.glob<Record<string, unknown>>(["../i18n/*/*.json", "!../i18n/*/my.json"], {
  eager: true,
  import: "default",
});

export const i18n = setupI18n(resourcesFromGlob(files));
