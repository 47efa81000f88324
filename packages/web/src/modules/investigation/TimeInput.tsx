import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { TextField } from "../../app/ui/TextField.tsx";
import { normalizeTime } from "./time.ts";

/** A time of day typed freely (1930, １９：３０, 19時30分); becomes HH:MM on leaving the field. */
export function TimeInput({
  label,
  value,
  onChange,
  error,
  testId,
}: {
  label: string;
  value: string | null;
  onChange: (value: string | null) => void;
  error?: string;
  testId?: string;
}) {
  const { t } = useTranslation("investigation");
  const [text, setText] = useState(value ?? "");
  const [invalid, setInvalid] = useState(false);
  useEffect(() => setText(value ?? ""), [value]);
  const commit = () => {
    if (text.trim() === "") {
      setInvalid(false);
      onChange(null);
      return;
    }
    const time = normalizeTime(text);
    setInvalid(time === null);
    if (time) {
      setText(time);
      onChange(time);
    }
  };
  return (
    <TextField
      label={label}
      value={text}
      inputMode="numeric"
      autoComplete="off"
      placeholder="19:30"
      onChange={(e) => setText(e.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === "Enter") commit();
      }}
      hint={t("form.timeHint")}
      error={invalid ? t("form.timeInvalid") : error}
      data-testid={testId}
      inputClassName="max-w-32"
    />
  );
}
