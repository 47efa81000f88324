import { useTranslation } from "react-i18next";
import type { DiseaseDefinition } from "#domain/disease/types.ts";

/** Whether the disease's form changed over time, so that a notification names its variant. */
export function hasDatedForms(def: DiseaseDefinition): boolean {
  return new Set(def.notificationForms.map((f) => f.variant)).size > 1;
}

/**
 * The name of the form a notification is filed on. Only a disease whose form changed over time
 * (COVID-19's dated variants) names the variant; any other disease has one form of its own, named
 * after the disease, with its 別記様式 number where the definition confirms one.
 */
export function useFormName(): (def: DiseaseDefinition, variant: string | null | undefined) => string | null {
  const { t, i18n } = useTranslation("notifications");
  const lang = i18n.language === "en" ? "en" : "ja";
  return (def, variant) => {
    if (!variant) return null;
    if (hasDatedForms(def)) return t(`variant.${variant}`);
    const disease = def.name[lang];
    return def.formNumber
      ? t("form.ownFormNumbered", { number: def.formNumber, disease })
      : t("form.ownForm", { disease });
  };
}

/** A country by its ISO 3166-1 code, as the reader's language names it (JP → 日本). */
export function countryName(code: string, lang: "ja" | "en"): string {
  return new Intl.DisplayNames([lang], { type: "region" }).of(code) ?? code;
}
