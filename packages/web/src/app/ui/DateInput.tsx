import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { parseDateInput } from "#domain/dates.ts";
import { cx } from "./cx.ts";
import { useFormatDate } from "./DateText.tsx";
import { TextField } from "./TextField.tsx";

/** A date whose 和暦 form is among the longest, to reserve the room the hint may need. */
const longestDate = "2018-12-28";

/**
 * Hint texts that replace one another in one place (the format help, then the date as read).
 * The place is as tall as the tallest of them, so that leaving the field, which swaps them,
 * never moves what is below: a click on 保存 pressed as the field loses focus would otherwise
 * land beside the moved button and be lost.
 */
function StableHint({ texts, shown }: { texts: string[]; shown: number | null }) {
  return (
    <span className="grid">
      {texts.map((text, i) => (
        <span
          // The texts are a fixed list: the index is their identity.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          key={i}
          className={cx("col-start-1 row-start-1", i === shown ? undefined : "invisible")}
          aria-hidden={i === shown ? undefined : true}
        >
          {text || "\u00a0"}
        </span>
      ))}
    </span>
  );
}

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
  const { t } = useTranslation("common");
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
      hint={
        <StableHint
          shown={value && !invalid ? 1 : formatHint ? 0 : null}
          texts={[formatHint ? t("form.dateHint") : "", format(value && !invalid ? value : longestDate)]}
        />
      }
      error={invalid ? t("form.dateInvalid") : error}
      data-testid={testId}
    />
  );
}
