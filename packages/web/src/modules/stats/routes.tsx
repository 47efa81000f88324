import { createRoute } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { staffRoute } from "../../app/rootRoutes.tsx";
import { ComingSoon } from "../../app/ui/ComingSoon.tsx";

// Stub module (統計): to be replaced by the stats module. Strings: i18n namespace "stats".

function StatsPage() {
  const { t } = useTranslation("stats");
  return <ComingSoon title={t("title")} description={t("description")} />;
}

const statsRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/stats",
  component: StatsPage,
});

export const routes = [statsRoute] as const;
