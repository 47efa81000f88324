import { createRoute } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { staffRoute } from "../../app/rootRoutes.tsx";
import { ComingSoon } from "../../app/ui/ComingSoon.tsx";

// Stub module (健康観察): to be replaced by the health module. Strings: i18n namespace "health".

function HealthStatusPage() {
  const { t } = useTranslation("health");
  return <ComingSoon title={t("list.title")} description={t("list.description")} />;
}

const healthStatusRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/health",
  component: HealthStatusPage,
});

export const routes = [healthStatusRoute] as const;
