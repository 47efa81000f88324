import { useQuery } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { diseaseListQueryOptions } from "./api.ts";

/** A disease's name in the screen's language, from its code (lists and records carry codes). */
export function useDiseaseName(): (code: string | null | undefined) => string {
  const { i18n } = useTranslation();
  const list = useQuery(diseaseListQueryOptions);
  const en = i18n.language === "en";
  // Looked up once per cell of long lists (the line list): a map, not a search of the list.
  const names = useMemo(
    () => new Map((list.data?.items ?? []).map((d) => [d.code, en ? d.nameEn : d.name])),
    [list.data, en],
  );
  return useCallback((code) => (code ? (names.get(code) ?? "") : ""), [names]);
}

/** Every disease as a select option, named in the screen's language. */
export function useDiseaseOptions(): { value: string; label: string }[] {
  const { i18n } = useTranslation();
  const list = useQuery(diseaseListQueryOptions);
  const en = i18n.language === "en";
  return useMemo(
    () => (list.data?.items ?? []).map((d) => ({ value: d.code, label: en ? d.nameEn : d.name })),
    [list.data, en],
  );
}
