import { type InputHTMLAttributes, type ReactNode, useId } from "react";
import type { CodeItem } from "#domain/codes.ts";
import { cx } from "./cx.ts";
import { FieldSet } from "./Field.tsx";
import { useCodeItems } from "./Select.tsx";

export type CheckboxProps = Omit<InputHTMLAttributes<HTMLInputElement>, "type"> & { label: ReactNode };

const boxClass =
  "size-6 shrink-0 cursor-pointer appearance-auto rounded-4 border-2 border-solid-gray-600 accent-blue-900 disabled:cursor-not-allowed";

/** A single checkbox with its label (click target is the whole row). */
export function Checkbox({ label, id, className, ...rest }: CheckboxProps) {
  const generated = useId();
  const inputId = id ?? generated;
  return (
    <div className={cx("flex items-start gap-2 py-1", className)}>
      <input id={inputId} type="checkbox" className={boxClass} {...rest} />
      <label htmlFor={inputId} className="cursor-pointer text-std-16N-170">
        {label}
      </label>
    </div>
  );
}

export type CheckboxOption = { value: string; label: ReactNode; disabled?: boolean };

export type CheckboxGroupProps = {
  legend: ReactNode;
  options?: CheckboxOption[];
  /** A domain code list whose items are the options, labelled in the UI language. */
  codes?: readonly CodeItem[];
  value: readonly string[];
  onChange: (value: string[]) => void;
  hint?: ReactNode;
  error?: ReactNode;
  required?: boolean;
  name?: string;
  /** Lay the options out in a row (wrapping) or in columns instead of one column. */
  layout?: "inline" | "columns";
  className?: string;
  testId?: string;
};

const layouts = {
  column: "flex flex-col",
  inline: "flex flex-wrap gap-x-6",
  columns: "grid grid-cols-2 gap-x-4 lg:grid-cols-3",
};

/** A fieldset of checkboxes whose value is the list of checked option values, in option order. */
export function CheckboxGroup({
  legend,
  options = [],
  codes,
  value,
  onChange,
  hint,
  error,
  required,
  name,
  layout,
  className,
  testId,
}: CheckboxGroupProps) {
  const id = useId();
  const items = useCodeItems(codes, options);
  const toggle = (option: string, checked: boolean) => {
    const set = new Set(value);
    if (checked) set.add(option);
    else set.delete(option);
    onChange(items.map((o) => o.value).filter((v) => set.has(v)));
  };
  return (
    <FieldSet
      id={id}
      legend={legend}
      hint={hint}
      error={error}
      required={required}
      className={className}
      testId={testId}
    >
      <div className={layouts[layout ?? "column"]}>
        {items.map((o) => (
          <Checkbox
            key={o.value}
            name={name}
            value={o.value}
            label={o.label}
            disabled={o.disabled}
            checked={value.includes(o.value)}
            onChange={(e) => toggle(o.value, e.currentTarget.checked)}
          />
        ))}
      </div>
    </FieldSet>
  );
}
