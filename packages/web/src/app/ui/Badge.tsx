import type { ReactNode } from "react";
import { cx } from "./cx.ts";

export type BadgeTone = "neutral" | "info" | "success" | "warning" | "danger";

const tones: Record<BadgeTone, string> = {
  neutral: "bg-solid-gray-50 text-solid-gray-800 border-solid-gray-420",
  info: "bg-blue-50 text-blue-1000 border-blue-600",
  success: "bg-green-50 text-green-1000 border-green-600",
  warning: "bg-yellow-50 text-yellow-1200 border-yellow-700",
  danger: "bg-red-50 text-red-1000 border-red-800",
};

/** Short status label. Colour is never the only signal: the text says it. */
export function Badge({
  tone = "neutral",
  children,
  className,
}: {
  tone?: BadgeTone;
  children: ReactNode;
  className?: string;
}) {
  return (
    <span
      className={cx(
        "inline-flex items-center whitespace-nowrap rounded-full border px-2 py-0.5 text-dns-14B-120",
        tones[tone],
        className,
      )}
    >
      {children}
    </span>
  );
}
