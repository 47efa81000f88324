import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { municipalitiesQueryOptions } from "./reference.ts";
import { Select } from "./ui/Select.tsx";

/**
 * 市区町村: a select of the chosen prefecture's municipalities by name (JIS X 0402 codes as
 * values), shared by every form that holds an address.
 */
export function MunicipalitySelect({
  id,
  name,
  onBlur,
  prefectureCode,
  value,
  onChange,
  label,
  error,
  hint,
  required,
  testId,
}: {
  id?: string;
  name?: string;
  onBlur?: () => void;
  prefectureCode: string | null | undefined;
  value: string | null | undefined;
  onChange: (code: string) => void;
  label: ReactNode;
  error?: ReactNode;
  hint?: ReactNode;
  required?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation("common");
  const municipalities = useQuery({
    ...municipalitiesQueryOptions(prefectureCode ?? ""),
    enabled: !!prefectureCode && /^\d{2}$/.test(prefectureCode),
  });
  const items = municipalities.data?.items ?? [];
  // A code the list lacks (data from before a merger of municipalities) stays visible as is.
  const options = items.map((m) => ({ value: m.code, label: m.name }));
  if (value && items.length > 0 && !items.some((m) => m.code === value))
    options.unshift({ value, label: value });
  return (
    <Select
      id={id}
      name={name}
      onBlur={onBlur}
      label={label}
      required={required}
      hint={hint}
      error={error}
      disabled={!prefectureCode || municipalities.isLoading}
      placeholder={prefectureCode ? t("municipality.choose") : t("municipality.choosePrefectureFirst")}
      options={options}
      value={value ?? ""}
      onChange={(e) => onChange(e.currentTarget.value)}
      data-testid={testId}
    />
  );
}
