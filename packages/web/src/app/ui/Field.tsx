import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

/** Ids tying a control to its hint and error text (for aria-describedby). */
export function fieldIds(id: string) {
  return { hint: `${id}-hint`, error: `${id}-error` };
}

export function describedBy(
  id: string,
  hint: ReactNode,
  error: ReactNode,
  extra?: string,
): string | undefined {
  const ids = fieldIds(id);
  const list = [extra, hint ? ids.hint : null, error ? ids.error : null].filter(Boolean);
  return list.length ? list.join(" ") : undefined;
}

export function FieldLabel({
  htmlFor,
  required,
  children,
}: {
  htmlFor?: string;
  required?: boolean;
  children: ReactNode;
}) {
  const { t } = useTranslation("common");
  return (
    <label htmlFor={htmlFor} className="flex items-center gap-2 text-std-16B-170 text-solid-gray-800">
      {children}
      {required ? <span className="text-dns-14N-130 text-error-1">{t("form.required")}</span> : null}
    </label>
  );
}

export function FieldHint({ id, children }: { id: string; children: ReactNode }) {
  if (!children) return null;
  return (
    <p id={fieldIds(id).hint} className="text-dns-14N-130 text-solid-gray-700">
      {children}
    </p>
  );
}

export function FieldError({ id, children }: { id: string; children: ReactNode }) {
  if (!children) return null;
  return (
    <p id={fieldIds(id).error} className="text-dns-16N-130 text-error-1">
      <span aria-hidden="true">＊</span>
      {children}
    </p>
  );
}
