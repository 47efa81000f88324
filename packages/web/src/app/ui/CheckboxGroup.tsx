import { type InputHTMLAttributes, type ReactNode, useId } from "react";
import { cx } from "./cx.ts";
import { FieldError, FieldHint, fieldIds } from "./Field.tsx";

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
  options: CheckboxOption[];
  value: string[];
  onChange: (value: string[]) => void;
  hint?: ReactNode;
  error?: ReactNode;
  name?: string;
  /** Lay the options out in a row (wrapping) instead of a column. */
  inline?: boolean;
  className?: string;
};

/** A fieldset of checkboxes whose value is the list of checked option values, in option order. */
export function CheckboxGroup({
  legend,
  options,
  value,
  onChange,
  hint,
  error,
  name,
  inline,
  className,
}: CheckboxGroupProps) {
  const id = useId();
  const ids = fieldIds(id);
  const describedBy =
    [hint ? ids.hint : null, error ? ids.error : null].filter(Boolean).join(" ") || undefined;
  const toggle = (option: string, checked: boolean) => {
    const set = new Set(value);
    if (checked) set.add(option);
    else set.delete(option);
    onChange(options.map((o) => o.value).filter((v) => set.has(v)));
  };
  return (
    <fieldset
      className={cx("flex flex-col gap-1", className)}
      aria-describedby={describedBy}
      aria-invalid={error ? true : undefined}
    >
      <legend className="mb-1 text-std-16B-170 text-solid-gray-800">{legend}</legend>
      <FieldHint id={id}>{hint}</FieldHint>
      <div className={cx(inline ? "flex flex-wrap gap-x-6" : "flex flex-col")}>
        {options.map((o) => (
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
      <FieldError id={id}>{error}</FieldError>
    </fieldset>
  );
}
