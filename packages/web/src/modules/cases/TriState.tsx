import { useTranslation } from "react-i18next";
import { Select } from "../../app/ui/Select.tsx";

/** A yes / no / not yet known choice (boolean | null), with labels that fit the question. */
export function TriState({
  label,
  value,
  onChange,
  yes,
  no,
  error,
  testId,
}: {
  label: string;
  value: boolean | null;
  onChange: (value: boolean | null) => void;
  yes?: string;
  no?: string;
  error?: string;
  testId?: string;
}) {
  const { t } = useTranslation("cases");
  return (
    <Select
      label={label}
      value={value === null ? "" : String(value)}
      onChange={(e) => {
        const v = e.currentTarget.value;
        onChange(v === "" ? null : v === "true");
      }}
      options={[
        { value: "", label: t("value.unknown") },
        { value: "true", label: yes ?? t("value.yes") },
        { value: "false", label: no ?? t("value.no") },
      ]}
      error={error}
      data-testid={testId}
    />
  );
}

export function useTriStateText(): (value: boolean | null | undefined, yes?: string, no?: string) => string {
  const { t } = useTranslation("cases");
  return (value, yes, no) =>
    value === null || value === undefined
      ? t("value.unknown")
      : value
        ? (yes ?? t("value.yes"))
        : (no ?? t("value.no"));
}
