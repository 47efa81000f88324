import { useTranslation } from "react-i18next";
import { cx } from "./cx.ts";

export function Spinner({ className }: { className?: string }) {
  return (
    <span
      aria-hidden="true"
      className={cx(
        "inline-block size-6 animate-spin rounded-full border-4 border-blue-900 border-r-transparent",
        className,
      )}
    />
  );
}

/** Loading indicator announced to screen readers. */
export function Loading({ label, className }: { label?: string; className?: string }) {
  const { t } = useTranslation("common");
  return (
    <div
      role="status"
      className={cx("flex items-center gap-3 py-8 text-std-16N-170 text-solid-gray-700", className)}
    >
      <Spinner />
      <span>{label ?? t("loading")}</span>
    </div>
  );
}
