import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import { type CodeItem, label } from "#domain/codes.ts";

/** Label of a code from a domain code list, in the UI language (unknown codes show as themselves). */
export function useCodeLabel(): (list: readonly CodeItem[], code: string | null | undefined) => string {
  const { i18n, t } = useTranslation("common");
  const lang = i18n.language === "en" ? "en" : "ja";
  // Stable while the language is: screens memoise on it (the transmission graph redraws when it changes).
  return useCallback((list, code) => (code ? label(list, code, lang) : t("empty")), [lang, t]);
}

/** Options for a Select or CheckboxGroup from a domain code list. */
export function useCodeOptions(): (list: readonly CodeItem[]) => { value: string; label: string }[] {
  const { i18n } = useTranslation("common");
  const lang = i18n.language === "en" ? "en" : "ja";
  return (list) => list.map((item) => ({ value: item.code, label: item[lang] }));
}

/** Age in completed years on a date (both `YYYY-MM-DD`). */
export function ageOn(birthDate: string, onDate: string): number {
  const [by, bm, bd] = birthDate.split("-").map(Number);
  const [y, m, d] = onDate.split("-").map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
