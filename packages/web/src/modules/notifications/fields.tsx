import { type ReactNode, useId } from "react";
import { useTranslation } from "react-i18next";
import { parseDateInput } from "#domain/dates.ts";
import { ageAtDiagnosis } from "#domain/notification.ts";
import { MunicipalitySelect } from "../../app/MunicipalitySelect.tsx";
import { cx } from "../../app/ui/cx.ts";
import { useFormatDate } from "../../app/ui/DateText.tsx";
import { FieldError, FieldHint, FieldLabel, fieldIds } from "../../app/ui/Field.tsx";
import { TextField } from "../../app/ui/TextField.tsx";

/** What the form hands each field: its value, where to report changes, and its message. */
export type FieldBinding = {
  id: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  onBlur: () => void;
  error?: string;
  required?: boolean;
};

export function TextInput({
  binding,
  label,
  hint,
  className,
  inputMode,
  autoComplete,
  normalize,
  placeholder,
  autoFocus,
}: {
  binding: FieldBinding;
  label: ReactNode;
  hint?: ReactNode;
  className?: string;
  inputMode?: "text" | "numeric" | "tel" | "email";
  autoComplete?: string;
  /** Applied when the field loses focus (e.g. kana to full-width katakana). */
  normalize?: (value: string) => string;
  placeholder?: string;
  autoFocus?: boolean;
}) {
  return (
    <TextField
      id={binding.id}
      name={binding.name}
      label={label}
      hint={hint}
      required={binding.required}
      error={binding.error}
      value={binding.value}
      inputMode={inputMode}
      autoComplete={autoComplete ?? "off"}
      placeholder={placeholder}
      autoFocus={autoFocus}
      className={className}
      onChange={(e) => binding.onChange(e.currentTarget.value)}
      onBlur={() => {
        if (normalize) {
          const next = normalize(binding.value);
          if (next !== binding.value) binding.onChange(next);
        }
        binding.onBlur();
      }}
    />
  );
}

/** 西暦 or 和暦 as typed; shown back as 和暦 (西暦) so a typing slip is seen at once. */
export function DateInput({
  binding,
  label,
  className,
  autoFocus,
}: {
  binding: FieldBinding;
  label: ReactNode;
  className?: string;
  autoFocus?: boolean;
}) {
  const { t } = useTranslation("notifications");
  const format = useFormatDate();
  const iso = parseDateInput(binding.value);
  return (
    <div className={className}>
      <TextInput
        binding={binding}
        label={label}
        hint={iso ? <span data-testid={`${binding.name}-read`}>{format(iso)}</span> : t("field.dateHint")}
        normalize={(v) => parseDateInput(v) ?? v}
        placeholder={t("field.datePlaceholder")}
        autoFocus={autoFocus}
      />
    </div>
  );
}

export type Choice = { value: string; label: string };

/** Native radio buttons in a fieldset: arrow keys move between choices. */
export function RadioGroup({
  binding,
  legend,
  choices,
  className,
}: {
  binding: FieldBinding;
  legend: ReactNode;
  choices: readonly Choice[];
  className?: string;
}) {
  const ids = fieldIds(binding.id);
  return (
    <fieldset
      className={cx("flex flex-col gap-1", className)}
      aria-invalid={binding.error ? true : undefined}
      aria-describedby={binding.error ? ids.error : undefined}
      data-testid={`field-${binding.name}`}
    >
      <legend className="mb-1">
        <FieldLabel required={binding.required}>{legend}</FieldLabel>
      </legend>
      <div className="flex flex-wrap gap-x-5 gap-y-1">
        {choices.map((c) => (
          <label key={c.value} className="flex cursor-pointer items-center gap-2 py-1 text-std-16N-170">
            <input
              type="radio"
              name={binding.name}
              value={c.value}
              checked={binding.value === c.value}
              required={binding.required}
              onChange={() => binding.onChange(c.value)}
              onBlur={binding.onBlur}
              className="size-5 accent-blue-900"
            />
            {c.label}
          </label>
        ))}
      </div>
      <FieldError id={binding.id}>{binding.error}</FieldError>
    </fieldset>
  );
}

export function YesNo({
  binding,
  legend,
  className,
}: {
  binding: FieldBinding;
  legend: ReactNode;
  className?: string;
}) {
  const { t } = useTranslation("notifications");
  return (
    <RadioGroup
      binding={binding}
      legend={legend}
      className={className}
      choices={[
        { value: "yes", label: t("field.yes") },
        { value: "no", label: t("field.no") },
      ]}
    />
  );
}

export function SelectInput({
  binding,
  label,
  choices,
  className,
  hint,
}: {
  binding: FieldBinding;
  label: ReactNode;
  choices: readonly Choice[];
  className?: string;
  hint?: ReactNode;
}) {
  const { t } = useTranslation("common");
  const ids = fieldIds(binding.id);
  return (
    <div className={cx("flex flex-col gap-1", className)}>
      <FieldLabel htmlFor={binding.id} required={binding.required}>
        {label}
      </FieldLabel>
      <FieldHint id={binding.id}>{hint}</FieldHint>
      <select
        id={binding.id}
        name={binding.name}
        value={binding.value}
        onChange={(e) => binding.onChange(e.currentTarget.value)}
        onBlur={binding.onBlur}
        aria-invalid={binding.error ? true : undefined}
        aria-describedby={
          [hint ? ids.hint : null, binding.error ? ids.error : null].filter(Boolean).join(" ") || undefined
        }
        className="w-full rounded-8 border border-solid-gray-600 bg-white px-3 py-2.5 text-std-16N-170 hover:border-black aria-invalid:border-2 aria-invalid:border-error-1"
      >
        <option value="">{t("form.choose")}</option>
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      <FieldError id={binding.id}>{binding.error}</FieldError>
    </div>
  );
}

/** A set of checkboxes whose value is the list of checked codes. */
export function Checkboxes({
  name,
  legend,
  choices,
  value,
  onChange,
  error,
  required,
  className,
}: {
  name: string;
  legend: ReactNode;
  choices: readonly Choice[];
  value: readonly string[];
  onChange: (value: string[]) => void;
  error?: string;
  required?: boolean;
  className?: string;
}) {
  const id = useId();
  const toggle = (code: string, on: boolean) =>
    onChange(choices.map((c) => c.value).filter((v) => (v === code ? on : value.includes(v))));
  return (
    <fieldset
      className={cx("flex flex-col gap-1", className)}
      aria-invalid={error ? true : undefined}
      aria-describedby={error ? fieldIds(id).error : undefined}
      data-testid={`field-${name}`}
    >
      <legend className="mb-1">
        <FieldLabel required={required}>{legend}</FieldLabel>
      </legend>
      <div className="grid grid-cols-2 gap-x-4 lg:grid-cols-3">
        {choices.map((c) => (
          <label key={c.value} className="flex cursor-pointer items-center gap-2 py-1 text-std-16N-170">
            <input
              type="checkbox"
              name={name}
              value={c.value}
              checked={value.includes(c.value)}
              onChange={(e) => toggle(c.value, e.currentTarget.checked)}
              className="size-5 accent-blue-900"
            />
            {c.label}
          </label>
        ))}
      </div>
      <FieldError id={id}>{error}</FieldError>
    </fieldset>
  );
}

/** 診断時の年齢 (0歳は月齢), worked out from the birth date. */
export function AgeText({ birthDate, onDate }: { birthDate: string; onDate: string }) {
  const { t } = useTranslation("notifications");
  const age = ageAtDiagnosis(parseDateInput(birthDate), onDate);
  if (!age) return null;
  return (
    <p className="text-std-16B-170" data-testid="age-at-diagnosis">
      {age.years === 0
        ? t("field.ageMonths", { months: age.months })
        : t("field.ageYears", { years: age.years })}
    </p>
  );
}

/** 市区町村 of a bound address: the app's shared municipality picker. */
export function MunicipalityInput({
  binding,
  prefectureCode,
  label,
}: {
  binding: FieldBinding;
  prefectureCode: string;
  label: ReactNode;
}) {
  return (
    <MunicipalitySelect
      id={binding.id}
      name={binding.name}
      onBlur={binding.onBlur}
      prefectureCode={prefectureCode}
      value={binding.value}
      onChange={binding.onChange}
      label={label}
      error={binding.error}
      required={binding.required}
    />
  );
}
