import { type ReactNode, useId } from "react";
import { useTranslation } from "react-i18next";
import { cx } from "./cx.ts";

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
  return (
    <label htmlFor={htmlFor} className={labelClass}>
      {children}
      {required ? <RequiredMark /> : null}
    </label>
  );
}

const labelClass = "flex items-center gap-2 text-std-16B-170 text-solid-gray-800";

function RequiredMark() {
  const { t } = useTranslation("common");
  return <span className="text-dns-14N-130 text-error-1">{t("form.required")}</span>;
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

/** What ties a control to its label, hint and error: its id, aria-invalid and aria-describedby. */
export function controlProps(id: string, hint: ReactNode, error: ReactNode, extra?: string) {
  return {
    id,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": describedBy(id, hint, error, extra),
  } as const;
}

/** One field's frame: label (with 必須), hint, the control, then the error under it. */
export function FieldFrame({
  id,
  label,
  hint,
  error,
  required,
  className,
  children,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  required?: boolean;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={cx("flex flex-col gap-1", className)}>
      <FieldLabel htmlFor={id} required={required}>
        {label}
      </FieldLabel>
      <FieldHint id={id}>{hint}</FieldHint>
      {children}
      <FieldError id={id}>{error}</FieldError>
    </div>
  );
}

/**
 * A group of choices (radio buttons, checkboxes) as one field: the legend names it (with 必須),
 * the hint and error are tied to the fieldset.
 */
export function FieldSet({
  id,
  legend,
  hint,
  error,
  required,
  className,
  testId,
  children,
}: {
  id: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  required?: boolean;
  className?: string;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <fieldset
      className={cx("flex flex-col gap-1", className)}
      aria-invalid={error ? true : undefined}
      aria-describedby={describedBy(id, hint, error)}
      data-testid={testId}
    >
      <legend className={cx("mb-1", labelClass)}>
        {legend}
        {required ? <RequiredMark /> : null}
      </legend>
      <FieldHint id={id}>{hint}</FieldHint>
      {children}
      <FieldError id={id}>{error}</FieldError>
    </fieldset>
  );
}

/** What every framed field takes besides its control's own attributes. */
export type FramedProps = {
  label: ReactNode;
  hint?: ReactNode;
  /** Error text shown under the field (and linked with aria-describedby). */
  error?: ReactNode;
  id?: string;
  required?: boolean;
  /** Classes for the wrapping element. */
  className?: string;
  /** Classes added to the control's own. */
  inputClassName?: string;
  "aria-describedby"?: string;
};

/**
 * Splits a field's props into its frame's and its control's: the control gets the id (generated
 * when none is given), aria-invalid, aria-describedby and its classes; the rest passes through.
 */
export function useFramed<P extends FramedProps>(props: P, controlClass: string) {
  const {
    label,
    hint,
    error,
    id,
    required,
    className,
    inputClassName,
    "aria-describedby": extra,
    ...rest
  } = props;
  const generated = useId();
  const controlId = id ?? generated;
  return {
    frame: { id: controlId, label, hint, error, required, className },
    control: {
      ...controlProps(controlId, hint, error, extra),
      required,
      className: cx(controlClass, inputClassName),
      ...rest,
    },
  };
}
