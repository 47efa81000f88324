import type { InputHTMLAttributes, Ref, TextareaHTMLAttributes } from "react";
import { FieldFrame, type FramedProps, useFramed } from "./Field.tsx";

export const inputClass =
  "w-full rounded-8 border border-solid-gray-600 bg-white px-4 py-2.5 text-std-16N-170 text-solid-gray-900 hover:border-black aria-invalid:border-error-1 aria-invalid:border-2 disabled:border-solid-gray-300 disabled:bg-solid-gray-50 disabled:text-solid-gray-420 read-only:bg-solid-gray-50 placeholder:text-solid-gray-420";

export type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, "children"> &
  FramedProps & { ref?: Ref<HTMLInputElement> };

export function TextField(props: TextFieldProps) {
  const { frame, control } = useFramed(props, inputClass);
  return (
    <FieldFrame {...frame}>
      <input {...control} />
    </FieldFrame>
  );
}

export type TextAreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "children"> &
  FramedProps & { ref?: Ref<HTMLTextAreaElement> };

/** A multi-line TextField (notes, reasons, code lists typed one a line). */
export function TextArea(props: TextAreaProps) {
  const { frame, control } = useFramed(props, `${inputClass} min-h-24`);
  return (
    <FieldFrame {...frame}>
      <textarea rows={3} {...control} />
    </FieldFrame>
  );
}
