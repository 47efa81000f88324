import { resourcesFromGlob, setupI18n } from "../app/i18nSetup.ts";

// The patient app carries only its own namespace ("my"), to stay light on phones.
const files = import.meta.glob<Record<string, unknown>>("../i18n/*/my.json", {
  eager: true,
  import: "default",
});

export const i18n = setupI18n(resourcesFromGlob(files), { defaultNS: "my" });
