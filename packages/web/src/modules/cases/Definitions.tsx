import type { ReactNode } from "react";

/** Read-only fields of a section as a two-column definition list. */
export function Definitions({
  items,
  testId,
}: {
  items: [label: string, value: ReactNode][];
  testId?: string;
}) {
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-3 sm:grid-cols-[12rem_1fr]" data-testid={testId}>
      {items.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-dns-16B-130 text-solid-gray-700">{label}</dt>
          <dd className="text-std-16N-170 text-solid-gray-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
