import {
  type InputHTMLAttributes,
  type ReactNode,
  type Ref,
  type TextareaHTMLAttributes,
  useId,
} from "react";
import { cx } from "./cx.ts";
import { controlProps, FieldFrame } from "./Field.tsx";

export const inputClass =
  "w-full rounded-8 border border-solid-gray-600 bg-white px-4 py-2.5 text-std-16N-170 text-solid-gray-900 hover:border-black aria-invalid:border-error-1 aria-invalid:border-2 disabled:border-solid-gray-300 disabled:bg-solid-gray-50 disabled:text-solid-gray-420 read-only:bg-solid-gray-50 placeholder:text-solid-gray-420";

type FieldProps = {
  label: ReactNode;
  hint?: ReactNode;
  /** Error text shown under the field (and linked with aria-describedby). */
  error?: ReactNode;
  /** Classes for the wrapping element. */
  className?: string;
  inputClassName?: string;
};

export type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, "children"> &
  FieldProps & { ref?: Ref<HTMLInputElement> };

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
    <FieldFrame
      id={inputId}
      label={label}
      hint={hint}
      error={error}
      required={required}
      className={className}
    >
      <input
        {...controlProps(inputId, hint, error, extraDescribedBy)}
        required={required}
        className={cx(inputClass, inputClassName)}
        {...rest}
      />
    </FieldFrame>
  );
}

export type TextAreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "children"> &
  FieldProps & { ref?: Ref<HTMLTextAreaElement> };

/** A multi-line TextField (notes, reasons, code lists typed one a line). */
export function TextArea({
  label,
  hint,
  error,
  id,
  required,
  className,
  inputClassName,
  "aria-describedby": extraDescribedBy,
  ...rest
}: TextAreaProps) {
  const generated = useId();
  const inputId = id ?? generated;
  return (
    <FieldFrame
      id={inputId}
      label={label}
      hint={hint}
      error={error}
      required={required}
      className={className}
    >
      <textarea
        {...controlProps(inputId, hint, error, extraDescribedBy)}
        required={required}
        rows={3}
        className={cx(inputClass, "min-h-24", inputClassName)}
        {...rest}
      />
    </FieldFrame>
  );
}
