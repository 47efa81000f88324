import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { parseDateInput } from "#domain/dates.ts";
import { useFormatDate } from "../../app/ui/DateText.tsx";
import { TextField } from "../../app/ui/TextField.tsx";

/**
 * A date typed the way people write it: 2022-08-19, 2022/8/19, 20220819, R4.8.19, 令和4年8月19日,
 * full-width digits too. On leaving the field it becomes `YYYY-MM-DD`, shown with its 和暦.
 */
export function DateInput({
  label,
  value,
  onChange,
  error,
  testId,
  required,
  formatHint = true,
}: {
  label: string;
  value: string | null;
  onChange: (value: string | null) => void;
  error?: string;
  testId?: string;
  required?: boolean;
  /** Explain the accepted formats under the field (off where space is short). */
  formatHint?: boolean;
}) {
  const { t } = useTranslation("cases");
  const format = useFormatDate();
  const [text, setText] = useState(value ?? "");
  const [invalid, setInvalid] = useState(false);
  useEffect(() => setText(value ?? ""), [value]);
  const commit = () => {
    const trimmed = text.trim();
    if (trimmed === "") {
      setInvalid(false);
      onChange(null);
      return;
    }
    const iso = parseDateInput(trimmed);
    setInvalid(iso === null);
    if (iso) {
      setText(iso);
      onChange(iso);
    }
  };
  return (
    <TextField
      label={label}
      value={text}
      required={required}
      inputMode="text"
      autoComplete="off"
      placeholder="2022-08-19 / R4.8.19"
      onChange={(e) => setText(e.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === "Enter") commit();
      }}
      hint={value && !invalid ? format(value) : formatHint ? t("form.dateHint") : undefined}
      error={invalid ? t("form.dateInvalid") : error}
      data-testid={testId}
    />
  );
}
