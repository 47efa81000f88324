import { type InputHTMLAttributes, type ReactNode, type Ref, useId } from "react";
import { cx } from "./cx.ts";
import { describedBy, FieldError, FieldHint, FieldLabel } from "./Field.tsx";

export const inputClass =
  "w-full rounded-8 border border-solid-gray-600 bg-white px-4 py-2.5 text-std-16N-170 text-solid-gray-900 hover:border-black aria-invalid:border-error-1 aria-invalid:border-2 disabled:border-solid-gray-300 disabled:bg-solid-gray-50 disabled:text-solid-gray-420 read-only:bg-solid-gray-50 placeholder:text-solid-gray-420";

export type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, "children"> & {
  label: ReactNode;
  hint?: ReactNode;
  /** Error text shown under the field (and linked with aria-describedby). */
  error?: ReactNode;
  ref?: Ref<HTMLInputElement>;
  /** Classes for the wrapping element. */
  className?: string;
  inputClassName?: string;
};

export function TextField({
  label,
  hint,
  error,
  id,
  required,
  className,
  inputClassName,
  "aria-describedby": extraDescribedBy,
  ...rest
}: TextFieldProps) {
  const generated = useId();
  const inputId = id ?? generated;
  return (
    <div className={cx("flex flex-col gap-1", className)}>
      <FieldLabel htmlFor={inputId} required={required}>
        {label}
      </FieldLabel>
      <FieldHint id={inputId}>{hint}</FieldHint>
      <input
        id={inputId}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(inputId, hint, error, extraDescribedBy)}
        className={cx(inputClass, inputClassName)}
        {...rest}
      />
      <FieldError id={inputId}>{error}</FieldError>
    </div>
  );
}
