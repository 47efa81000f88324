import { useTranslation } from "react-i18next";
import { EmptyState } from "./EmptyState.tsx";
import { PageHeader } from "./PageHeader.tsx";

/** Placeholder page (準備中) for a screen another module will provide. */
export function ComingSoon({ title, description }: { title: string; description?: string }) {
  const { t } = useTranslation("common");
  return (
    <>
      <PageHeader title={title} description={description} />
      <EmptyState title={t("comingSoon.title")}>{t("comingSoon.body")}</EmptyState>
    </>
  );
}
