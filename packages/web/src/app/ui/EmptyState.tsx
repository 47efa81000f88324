import type { ReactNode } from "react";
import { cx } from "./cx.ts";

export function EmptyState({
  title,
  children,
  action,
  className,
}: {
  title: ReactNode;
  children?: ReactNode;
  action?: ReactNode;
  className?: string;
}) {
  return (
    <div
      className={cx(
        "flex flex-col items-center gap-3 rounded-12 border border-dashed border-solid-gray-420 bg-solid-gray-50 px-6 py-10 text-center",
        className,
      )}
    >
      <p className="text-std-18B-160 text-solid-gray-800">{title}</p>
      {children ? <div className="max-w-prose text-std-16N-170 text-solid-gray-700">{children}</div> : null}
      {action ? <div className="mt-2">{action}</div> : null}
    </div>
  );
}
