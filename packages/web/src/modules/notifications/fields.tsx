import type { ChangeEvent, ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { CodeItem } from "#domain/codes.ts";
import { parseDateInput } from "#domain/dates.ts";
import { ageAtDiagnosis } from "#domain/notification.ts";
import { MunicipalitySelect } from "../../app/MunicipalitySelect.tsx";
import { DateField } from "../../app/ui/DateInput.tsx";
import { FieldSet } from "../../app/ui/Field.tsx";
import { Select, type SelectOption, type SelectProps, useCodeItems } from "../../app/ui/Select.tsx";
import { TextField, type TextFieldProps } from "../../app/ui/TextField.tsx";

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

/** The props every kit field takes from a binding (its id ties the error summary's link to it). */
function controlOf(binding: FieldBinding) {
  return {
    id: binding.id,
    name: binding.name,
    value: binding.value,
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
      binding.onChange(e.currentTarget.value),
    onBlur: binding.onBlur,
    error: binding.error,
    required: binding.required,
  };
}

export function TextInput({
  binding,
  normalize,
  ...rest
}: {
  binding: FieldBinding;
  /** Applied when the field loses focus (e.g. kana to full-width katakana). */
  normalize?: (value: string) => string;
} & Pick<TextFieldProps, "label" | "hint" | "className" | "inputMode" | "autoComplete">) {
  return (
    <TextField
      {...controlOf(binding)}
      autoComplete="off"
      {...rest}
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

/** 西暦 or 和暦 as typed, read back under the field; the form judges the text itself. */
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
  return (
    <DateField
      {...controlOf(binding)}
      onText={binding.onChange}
      label={label}
      className={className}
      autoFocus={autoFocus}
    />
  );
}

/** Native radio buttons in a fieldset: arrow keys move between choices. */
export function RadioGroup({
  binding,
  legend,
  choices,
  codes,
  className,
}: {
  binding: FieldBinding;
  legend: ReactNode;
  choices?: SelectOption[];
  codes?: readonly CodeItem[];
  className?: string;
}) {
  const items = useCodeItems(codes, choices ?? []);
  return (
    <FieldSet
      id={binding.id}
      legend={legend}
      error={binding.error}
      required={binding.required}
      className={className}
      testId={`field-${binding.name}`}
    >
      <div className="flex flex-wrap gap-x-5 gap-y-1">
        {items.map((c) => (
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
    </FieldSet>
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

/** The kit's Select bound to the form, with 選択してください first. */
export function SelectInput({
  binding,
  ...rest
}: { binding: FieldBinding } & Pick<SelectProps, "label" | "codes" | "options" | "className" | "hint">) {
  const { t } = useTranslation("common");
  return <Select {...controlOf(binding)} placeholder={t("form.choose")} {...rest} />;
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
