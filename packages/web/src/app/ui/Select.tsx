import type { Ref, SelectHTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import type { CodeItem } from "#domain/codes.ts";
import { FieldFrame, type FramedProps, useFramed } from "./Field.tsx";

export type SelectOption = { value: string; label: string; disabled?: boolean };
export type SelectOptionGroup = { label: string; options: SelectOption[] };

export type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, "children"> &
  FramedProps & {
    options?: SelectOption[];
    /** A domain code list whose items are the options, labelled in the UI language. */
    codes?: readonly CodeItem[];
    groups?: SelectOptionGroup[];
    /** Text of an empty first option (value ""), e.g. 選択してください. */
    placeholder?: string;
    ref?: Ref<HTMLSelectElement>;
  };

export const selectClass =
  "w-full appearance-none rounded-8 border border-solid-gray-600 bg-white bg-[length:1rem] bg-[right_1rem_center] bg-no-repeat py-2.5 pl-4 pr-10 text-std-16N-170 text-solid-gray-900 hover:border-black aria-invalid:border-2 aria-invalid:border-error-1 disabled:border-solid-gray-300 disabled:bg-solid-gray-50 disabled:text-solid-gray-420";

// A chevron drawn as a data URI, so the native select keeps its keyboard behaviour.
const chevron =
  "url(\"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Cpath d='M3 6l5 5 5-5' fill='none' stroke='%231a1a1a' stroke-width='2'/%3E%3C/svg%3E\")";

/** Options from a domain code list, labelled in the UI language (else the options given). */
export function useCodeItems<O extends { value: string }>(
  codes: readonly CodeItem[] | undefined,
  options: O[],
): (O | SelectOption)[] {
  const { i18n } = useTranslation("common");
  const lang = i18n.language === "en" ? "en" : "ja";
  return codes ? codes.map((c) => ({ value: c.code, label: c[lang] })) : options;
}

export function Select({ options = [], codes, groups, placeholder, style, ...props }: SelectProps) {
  const { frame, control } = useFramed(props, selectClass);
  const items = useCodeItems(codes, options);
  return (
    <FieldFrame {...frame}>
      <select {...control} style={{ backgroundImage: chevron, ...style }}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {items.map((o) => (
          <option key={o.value} value={o.value} disabled={o.disabled}>
            {o.label}
          </option>
        ))}
        {groups?.map((g) => (
          <optgroup key={g.label} label={g.label}>
            {g.options.map((o) => (
              <option key={o.value} value={o.value} disabled={o.disabled}>
                {o.label}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </FieldFrame>
  );
}
