import { createRoute } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { staffRoute } from "../../app/rootRoutes.tsx";
import { ComingSoon } from "../../app/ui/ComingSoon.tsx";

// Stub module (患者一覧・症例): to be replaced by the cases module. Strings: i18n namespace "cases".

function CaseListPage() {
  const { t } = useTranslation("cases");
  return <ComingSoon title={t("list.title")} description={t("list.description")} />;
}

function CaseDetailPage() {
  const { t } = useTranslation("cases");
  const { caseId } = caseDetailRoute.useParams();
  return <ComingSoon title={t("detail.title")} description={t("detail.description", { caseId })} />;
}

const caseListRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/cases",
  component: CaseListPage,
});

const caseDetailRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/cases/$caseId",
  component: CaseDetailPage,
});

export const routes = [caseListRoute, caseDetailRoute] as const;
