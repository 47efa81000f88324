import { createRoute } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { staffRoute } from "../../app/rootRoutes.tsx";
import { ComingSoon } from "../../app/ui/ComingSoon.tsx";

// Stub module (発生届): to be replaced by the notifications module. Strings: i18n namespace "notifications".

function NewNotificationPage() {
  const { t } = useTranslation("notifications");
  return <ComingSoon title={t("new.title")} description={t("new.description")} />;
}

function NotificationListPage() {
  const { t } = useTranslation("notifications");
  return <ComingSoon title={t("list.title")} description={t("list.description")} />;
}

function IntakePage() {
  const { t } = useTranslation("notifications");
  return <ComingSoon title={t("intake.title")} description={t("intake.description")} />;
}

const newNotificationRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/notifications/new",
  component: NewNotificationPage,
});

const notificationListRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/notifications",
  component: NotificationListPage,
});

const intakeRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/intake",
  component: IntakePage,
});

export const routes = [newNotificationRoute, notificationListRoute, intakeRoute] as const;
