import { type ReactNode, useEffect } from "react";
import { useTranslation } from "react-i18next";

export type PageHeaderProps = {
  title: string;
  description?: ReactNode;
  /** Buttons or links on the right of the title. */
  actions?: ReactNode;
  /** Small line above the title (e.g. the section). */
  eyebrow?: ReactNode;
};

/** Page title (the page's only h1) and the browser tab title. */
export function PageHeader({ title, description, actions, eyebrow }: PageHeaderProps) {
  const { t } = useTranslation("common");
  const systemName = t("app.name");
  useEffect(() => {
    document.title = `${title} | ${systemName}`;
  }, [title, systemName]);
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-4 border-b border-solid-gray-200 pb-4">
      <div className="min-w-0">
        {eyebrow ? <p className="text-dns-14N-130 text-solid-gray-700">{eyebrow}</p> : null}
        <h1 className="text-std-28B-150 text-solid-gray-900">{title}</h1>
        {description ? <div className="mt-1 text-std-16N-170 text-solid-gray-700">{description}</div> : null}
      </div>
      {actions ? <div className="flex flex-wrap items-center gap-3">{actions}</div> : null}
    </div>
  );
}
