import { type ReactNode, useEffect, useId, useRef } from "react";
import { useTranslation } from "react-i18next";
import { Button, type ButtonProps } from "./Button.tsx";
import { cx } from "./cx.ts";

export type DialogProps = {
  open: boolean;
  /** Called on Esc or the close button (unless `dismissable` is false). No close on backdrop clicks: forms and one-time secrets must not vanish by a stray click. */
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  /** Buttons at the bottom (right-aligned). */
  footer?: ReactNode;
  size?: "sm" | "md" | "lg";
  /** When false, Esc does not close it and the close button is disabled (e.g. while saving). */
  dismissable?: boolean;
  className?: string;
};

const widths = { sm: "max-w-md", md: "max-w-2xl", lg: "max-w-4xl" };

/**
 * Modal dialog on the native <dialog> element: the browser traps focus, makes the page behind it
 * inert, and restores focus to the opener when it closes.
 */
export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  footer,
  size = "md",
  dismissable = true,
  className,
}: DialogProps) {
  const { t } = useTranslation("common");
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      // showModal focuses the first control (the close button); React's autoFocus ran before it.
      dialog.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  useEffect(() => {
    const dialog = ref.current;
    return () => {
      if (dialog?.open) dialog.close();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onCancel={(e) => {
        // Esc: let React state decide.
        e.preventDefault();
        if (dismissable) onClose();
      }}
      className={cx(
        "m-auto max-h-[calc(100dvh-2rem)] w-[calc(100%-2rem)] rounded-16 bg-white p-0 text-solid-gray-900 shadow-4",
        widths[size],
        className,
      )}
    >
      {open ? (
        <div className="flex max-h-[calc(100dvh-2rem)] flex-col">
          <div className="flex items-start justify-between gap-4 border-b border-solid-gray-200 px-6 py-4">
            <div>
              <h2 id={titleId} className="text-std-20B-150">
                {title}
              </h2>
              {description ? (
                <p id={descriptionId} className="mt-1 text-std-16N-170 text-solid-gray-700">
                  {description}
                </p>
              ) : null}
            </div>
            <button
              type="button"
              onClick={onClose}
              disabled={!dismissable}
              className="-mr-2 inline-flex size-10 shrink-0 items-center justify-center rounded-8 text-solid-gray-800 hover:bg-solid-gray-50 disabled:opacity-40"
              aria-label={t("action.close")}
            >
              <svg aria-hidden="true" viewBox="0 0 24 24" className="size-6">
                <path d="M6 6l12 12M18 6L6 18" stroke="currentColor" strokeWidth="2" fill="none" />
              </svg>
            </button>
          </div>
          <div className="overflow-y-auto px-6 py-4">{children}</div>
          {footer ? (
            <div className="flex flex-wrap justify-end gap-3 border-t border-solid-gray-200 px-6 py-4">
              {footer}
            </div>
          ) : null}
        </div>
      ) : null}
    </dialog>
  );
}

/**
 * A dialog's footer: キャンセル and the action (the submit of the form named by `form`, or
 * `onClick`), or 閉じる alone once the work is `done`. Cancelling is off while the action runs.
 */
export function DialogActions({
  onCancel,
  done,
  doneTestId,
  children,
  ...action
}: Omit<ButtonProps, "type"> & {
  onCancel: () => void;
  done?: boolean;
  doneTestId?: string;
}) {
  const { t } = useTranslation("common");
  if (done)
    return (
      <Button onClick={onCancel} data-testid={doneTestId}>
        {t("action.close")}
      </Button>
    );
  return (
    <>
      <Button variant="secondary" onClick={onCancel} disabled={action.busy}>
        {t("action.cancel")}
      </Button>
      <Button type={action.form ? "submit" : "button"} {...action}>
        {children}
      </Button>
    </>
  );
}
