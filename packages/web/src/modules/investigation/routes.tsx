import { createRoute } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { staffRoute } from "../../app/rootRoutes.tsx";
import { ComingSoon } from "../../app/ui/ComingSoon.tsx";

// Stub module (積極的疫学調査): to be replaced by the investigation module. Strings: namespace "investigation".

function ActivitiesPage() {
  const { t } = useTranslation("investigation");
  return <ComingSoon title={t("activities.title")} description={t("activities.description")} />;
}

function ContactsPage() {
  const { t } = useTranslation("investigation");
  return <ComingSoon title={t("contacts.title")} description={t("contacts.description")} />;
}

const activitiesRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/activities",
  component: ActivitiesPage,
});

const contactsRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/contacts",
  component: ContactsPage,
});

export const routes = [activitiesRoute, contactsRoute] as const;
