import { useQuery } from "@tanstack/react-query";
import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { requirePermission, staffRoute } from "../../app/rootRoutes.tsx";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Loading } from "../../app/ui/Loading.tsx";
import { PageHeader } from "../../app/ui/PageHeader.tsx";
import { detailQueryOptions } from "./api.ts";
import { NotificationDetailPage } from "./DetailPage.tsx";
import { fromBody } from "./form-model.ts";
import { NotificationForm } from "./NotificationForm.tsx";
import { PrintPage } from "./PrintPage.tsx";

function NewNotificationPage() {
  const { t } = useTranslation("notifications");
  return (
    <>
      <PageHeader title={t("new.title")} description={t("new.description")} />
      <NotificationForm mode="new" />
    </>
  );
}

function RevisePage() {
  const { t } = useTranslation("notifications");
  const { id } = reviseRoute.useParams();
  const query = useQuery(detailQueryOptions(id));
  if (query.isPending) return <Loading />;
  if (query.error) return <ErrorAlert error={query.error} />;
  return (
    <>
      <PageHeader
        title={t("revise.title")}
        description={t("revise.description", { name: query.data.nameKanji })}
      />
      <NotificationForm mode="revise" notificationId={id} initial={fromBody(query.data.body)} />
    </>
  );
}

const newRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/notifications/new",
  beforeLoad: ({ context }) => requirePermission(context.me, "create", "notification"),
  component: NewNotificationPage,
});

const listRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/notifications",
  beforeLoad: ({ context }) => requirePermission(context.me, "list", "notification"),
  component: lazyRouteComponent(() => import("./ListPages.tsx"), "NotificationListPage"),
});

const uploadRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/notifications/upload",
  beforeLoad: ({ context }) => requirePermission(context.me, "create", "notification"),
  component: lazyRouteComponent(() => import("./UploadPage.tsx"), "UploadPage"),
});

const countsRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/notifications/daily-counts",
  component: lazyRouteComponent(() => import("./DailyCountsPage.tsx"), "DailyCountsPage"),
});

const detailRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/notifications/$id",
  // `filed`: just submitted from the form, so the page says so and what happens next.
  validateSearch: (search: Record<string, unknown>): { filed?: true } =>
    search.filed === true || search.filed === "true" ? { filed: true } : {},
  component: function Detail() {
    const { id } = detailRoute.useParams();
    const { filed } = detailRoute.useSearch();
    return <NotificationDetailPage id={id} area="notifications" justFiled={filed === true} />;
  },
});

const reviseRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/notifications/$id/revise",
  beforeLoad: ({ context }) => requirePermission(context.me, "create", "notification"),
  component: RevisePage,
});

const printRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/notifications/$id/print",
  component: function Print() {
    const { id } = printRoute.useParams();
    return <PrintPage id={id} />;
  },
});

const intakeRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/intake",
  // The center the notifications are routed to matches, accepts or returns them here.
  beforeLoad: ({ context }) => requirePermission(context.me, "review", "notification"),
  component: lazyRouteComponent(() => import("./ListPages.tsx"), "IntakePage"),
});

const intakeDetailRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: "/intake/$id",
  beforeLoad: ({ context }) => requirePermission(context.me, "review", "notification"),
  component: function IntakeDetail() {
    const { id } = intakeDetailRoute.useParams();
    return <NotificationDetailPage id={id} area="intake" />;
  },
});

export const routes = [
  newRoute,
  listRoute,
  uploadRoute,
  countsRoute,
  detailRoute,
  reviseRoute,
  printRoute,
  intakeRoute,
  intakeDetailRoute,
] as const;
