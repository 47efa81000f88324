import type { ButtonHTMLAttributes, Ref } from "react";
import { cx } from "./cx.ts";

export type ButtonVariant = "primary" | "secondary" | "tertiary" | "danger";
export type ButtonSize = "lg" | "md" | "sm";

const variants: Record<ButtonVariant, string> = {
  primary:
    "bg-blue-900 text-white border-2 border-blue-900 hover:bg-blue-1000 hover:border-blue-1000 hover:underline active:bg-blue-1200 disabled:bg-solid-gray-300 disabled:border-solid-gray-300 disabled:text-solid-gray-50",
  secondary:
    "bg-white text-blue-900 border-2 border-blue-900 hover:bg-blue-200 hover:text-blue-1000 hover:border-blue-1000 hover:underline active:bg-blue-300 disabled:bg-white disabled:text-solid-gray-300 disabled:border-solid-gray-300",
  tertiary:
    "bg-transparent text-blue-900 border-2 border-transparent underline hover:bg-blue-50 hover:text-blue-1000 hover:decoration-2 active:bg-blue-100 disabled:text-solid-gray-300 disabled:no-underline",
  danger:
    "bg-error-1 text-white border-2 border-error-1 hover:bg-error-2 hover:border-error-2 hover:underline active:bg-red-1000 disabled:bg-solid-gray-300 disabled:border-solid-gray-300",
};

const sizes: Record<ButtonSize, string> = {
  lg: "min-h-14 px-6 py-3 text-oln-16B-100 rounded-8",
  md: "min-h-12 px-4 py-2 text-oln-16B-100 rounded-8",
  sm: "min-h-9 px-3 py-1 text-oln-14B-100 rounded-6",
};

export type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** Shows the button as busy (and disables it) while an action runs. */
  busy?: boolean;
  ref?: Ref<HTMLButtonElement>;
};

export function Button({
  variant = "primary",
  size = "md",
  busy = false,
  disabled,
  className,
  type = "button",
  children,
  ...rest
}: ButtonProps) {
  return (
    <button
      type={type}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      className={cx(
        "inline-flex items-center justify-center gap-2 whitespace-nowrap transition-colors disabled:cursor-not-allowed",
        variants[variant],
        sizes[size],
        className,
      )}
      {...rest}
    >
      {busy ? (
        <span
          aria-hidden="true"
          className="inline-block size-4 animate-spin rounded-full border-2 border-current border-r-transparent"
        />
      ) : null}
      {children}
    </button>
  );
}
