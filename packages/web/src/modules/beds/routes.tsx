import { createRoute } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { staffRoute } from "../../app/rootRoutes.tsx";
import { ComingSoon } from "../../app/ui/ComingSoon.tsx";

// Stub module (入院調整): to be replaced by the bed coordination module. Strings: i18n namespace "beds".

function BedCoordinationPage() {
  const { t } = useTranslation("beds");
  return <ComingSoon title={t("title")} description={t("description")} />;
}

const bedCoordinationRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/beds",
  component: BedCoordinationPage,
});

export const routes = [bedCoordinationRoute] as const;
