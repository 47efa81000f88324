import { type ReactNode, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { parseDateInput } from "#domain/dates.ts";
import { cx } from "./cx.ts";
import { useFormatDate } from "./DateText.tsx";
import { TextField, type TextFieldProps } from "./TextField.tsx";

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

export type DateFieldProps = Omit<TextFieldProps, "value" | "onChange"> & {
  /** The text as typed (a form that judges the text itself keeps it as it is). */
  value: string;
  onText: (text: string) => void;
  /** Explain the accepted formats under the field (off where space is short). */
  formatHint?: boolean;
};

/**
 * A date typed the way people write it: 2022-08-19, 2022/8/19, 20220819, R4.8.19, 令和4年8月19日,
 * full-width digits too. Under it the date as read (和暦 and 西暦), so a slip is seen at once;
 * on leaving the field (or Enter) a readable date becomes `YYYY-MM-DD`.
 */
export function DateField({
  value,
  onText,
  hint,
  formatHint = true,
  onBlur,
  onKeyDown,
  ...rest
}: DateFieldProps) {
  const { t } = useTranslation("common");
  const format = useFormatDate();
  const iso = parseDateInput(value.trim());
  const normalize = () => {
    if (iso && iso !== value) onText(iso);
  };
  return (
    <TextField
      inputMode="text"
      autoComplete="off"
      placeholder="2022-08-19 / R4.8.19"
      {...rest}
      value={value}
      onChange={(e) => onText(e.currentTarget.value)}
      onBlur={(e) => {
        normalize();
        onBlur?.(e);
      }}
      onKeyDown={(e) => {
        if (e.key === "Enter") normalize();
        onKeyDown?.(e);
      }}
      hint={
        <>
          {hint ? <span className="block">{hint}</span> : null}
          <StableHint
            shown={iso ? 1 : formatHint ? 0 : null}
            texts={[formatHint ? t("form.dateHint") : "", format(iso ?? longestDate)]}
          />
        </>
      }
    />
  );
}

/**
 * A DateField whose value is a date (`YYYY-MM-DD`) or null: text that is no date is said so
 * under the field on leaving it, and not handed on.
 */
export function DateInput({
  value,
  onChange,
  error,
  testId,
  ...rest
}: Omit<DateFieldProps, "value" | "onText" | "onChange"> & {
  value: string | null;
  onChange: (value: string | null) => void;
  testId?: string;
}) {
  const { t } = useTranslation("common");
  const [text, setText] = useState(value ?? "");
  const [invalid, setInvalid] = useState(false);
  useEffect(() => setText(value ?? ""), [value]);
  const commit = () => {
    const trimmed = text.trim();
    const iso = trimmed === "" ? null : parseDateInput(trimmed);
    setInvalid(trimmed !== "" && iso === null);
    if (trimmed === "" || iso) onChange(iso);
  };
  return (
    <DateField
      {...rest}
      value={text}
      onText={setText}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === "Enter") commit();
      }}
      error={invalid ? t("form.dateInvalid") : error}
      data-testid={testId}
    />
  );
}

/**
 * A date range filter: from and to under one legend, side by side where they have room and one
 * under the other on a phone, where half the width wraps the date as read over two lines.
 */
export function DateRange({
  legend,
  from,
  to,
  onChange,
}: {
  legend: ReactNode;
  from: string | null;
  to: string | null;
  onChange: (end: "from" | "to", value: string | null) => void;
}) {
  const { t } = useTranslation("common");
  return (
    <fieldset className="grid grid-cols-1 gap-3 sm:grid-cols-2">
      <legend className="mb-1 text-std-16B-170 text-solid-gray-800">{legend}</legend>
      <DateInput
        formatHint={false}
        label={t("form.from")}
        value={from}
        onChange={(v) => onChange("from", v)}
      />
      <DateInput formatHint={false} label={t("form.to")} value={to} onChange={(v) => onChange("to", v)} />
    </fieldset>
  );
}
