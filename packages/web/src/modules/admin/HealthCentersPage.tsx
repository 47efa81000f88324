import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { jurisdictionsQueryOptions } from "../../app/reference.ts";
import { ActionMenu } from "../../app/ui/ActionMenu.tsx";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Badge } from "../../app/ui/Badge.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { createDataColumnHelper, DataTable } from "../../app/ui/DataTable.tsx";
import { Loading } from "../../app/ui/Loading.tsx";
import { PageHeader } from "../../app/ui/PageHeader.tsx";
import { Select } from "../../app/ui/Select.tsx";
import {
  type HealthCenterItem,
  healthCentersQueryOptions,
  type MasterImportReply,
  operatorKinds,
} from "./api.ts";
import { CsvImportDialog } from "./CsvImportDialog.tsx";
import {
  HealthCenterDialog,
  RetireDialog,
  TransferDialog,
  useMasterChanged,
} from "./HealthCenterDialogs.tsx";
import { JurisdictionTabs } from "./JurisdictionTabs.tsx";

const column = createDataColumnHelper<HealthCenterItem>();

type Open =
  | { kind: "create" }
  | { kind: "edit" | "transfer" | "retire"; center: HealthCenterItem }
  | { kind: "import" }
  | null;

/** 保健所マスタ: every health center by prefecture, with its operating government and coverage. */
export function HealthCentersPage() {
  const { t } = useTranslation("admin");
  const jurisdictions = useQuery(jurisdictionsQueryOptions);
  const [prefectureCode, setPrefectureCode] = useState("");
  const query = useQuery(healthCentersQueryOptions(prefectureCode));
  const [open, setOpen] = useState<Open>(null);
  const changed = useMasterChanged();
  const centers = query.data?.items ?? [];

  const columns = useMemo(() => {
    const prefectureName = new Map((jurisdictions.data?.prefectures ?? []).map((p) => [p.code, p.name]));
    const centerName = new Map(centers.map((c) => [c.id, c.name]));
    return [
      column.accessor("name", {
        header: t("healthCenters.field.name"),
        filterFn: "includesString",
        meta: { cellClassName: "font-bold" },
      }),
      column.accessor((c) => `${c.prefectureCode} ${prefectureName.get(c.prefectureCode) ?? ""}`, {
        id: "prefecture",
        header: t("healthCenters.field.prefecture"),
        filterFn: "includesString",
        cell: (c) => prefectureName.get(c.row.original.prefectureCode) ?? "",
        meta: { cellClassName: "whitespace-nowrap" },
      }),
      column.accessor("operatorKind", {
        header: t("healthCenters.field.operatorKind"),
        filterFn: "equalsString",
        cell: (c) => t(`healthCenters.operatorKind.${c.getValue()}`),
        meta: {
          filter: {
            kind: "select",
            options: operatorKinds.map((k) => ({ value: k, label: t(`healthCenters.operatorKind.${k}`) })),
          },
          cellClassName: "whitespace-nowrap",
        },
      }),
      column.accessor("address", { header: t("healthCenters.field.address"), filterFn: "includesString" }),
      column.accessor((c) => c.phone ?? "", {
        id: "phone",
        header: t("healthCenters.field.phone"),
        filterFn: "includesString",
        meta: { cellClassName: "whitespace-nowrap" },
      }),
      column.accessor("municipalityCount", {
        header: t("healthCenters.field.municipalities"),
        sortFn: "basic",
        meta: { filter: false, cellClassName: "text-right" },
      }),
      column.accessor((c) => (c.retiredAt ? (c.mergedInto ? "merged" : "retired") : "active"), {
        id: "status",
        header: t("healthCenters.field.status"),
        filterFn: "equalsString",
        cell: (c) => {
          const status = c.getValue();
          const into = c.row.original.mergedInto;
          return (
            <Badge tone={status === "active" ? "success" : "neutral"}>
              {status === "merged"
                ? t("healthCenters.status.merged", { name: (into && centerName.get(into)) || "" })
                : t(`healthCenters.status.${status}`)}
            </Badge>
          );
        },
        meta: {
          filter: {
            kind: "select",
            options: (["active", "merged", "retired"] as const).map((s) => ({
              value: s,
              label: t(`healthCenters.status.${s}`, { name: "" }),
            })),
          },
          cellClassName: "whitespace-nowrap",
        },
      }),
      column.display({
        id: "actions",
        header: t("users.field.actions"),
        cell: (c) => {
          const center = c.row.original;
          if (center.retiredAt) return null;
          return (
            <ActionMenu
              label={t("users.field.actions")}
              accessibleLabel={t("actions.menuLabel", { name: center.name })}
              testId={`hc-actions-${center.id}`}
              items={[
                {
                  key: "edit",
                  label: t("healthCenters.edit.button"),
                  onSelect: () => setOpen({ kind: "edit", center }),
                  testId: "hc-action-edit",
                },
                {
                  key: "transfer",
                  label: t("transfer.button"),
                  onSelect: () => setOpen({ kind: "transfer", center }),
                  testId: "hc-action-transfer",
                },
                {
                  key: "retire",
                  label: t("retire.button"),
                  onSelect: () => setOpen({ kind: "retire", center }),
                  tone: "danger",
                  testId: "hc-action-retire",
                },
              ]}
            />
          );
        },
        meta: { filter: false },
      }),
    ];
  }, [t, jurisdictions.data, centers]);

  return (
    <>
      <PageHeader
        title={t("jurisdictions.title")}
        description={t("healthCenters.description")}
        actions={
          <>
            <Button variant="secondary" onClick={() => setOpen({ kind: "import" })} data-testid="hc-import">
              {t("healthCenters.import.open")}
            </Button>
            <Button onClick={() => setOpen({ kind: "create" })} data-testid="hc-create">
              {t("healthCenters.create.open")}
            </Button>
          </>
        }
      />
      <JurisdictionTabs />
      <div className="mb-4 max-w-xs">
        <Select
          label={t("healthCenters.field.prefecture")}
          placeholder={t("users.create.allPrefectures")}
          options={(jurisdictions.data?.prefectures ?? []).map((p) => ({
            value: p.code,
            label: `${p.code} ${p.name}`,
          }))}
          value={prefectureCode}
          onChange={(e) => setPrefectureCode(e.currentTarget.value)}
          data-testid="hc-prefecture-filter"
        />
      </div>
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <ErrorAlert error={query.error} />
      ) : (
        <DataTable
          caption={t("healthCenters.tab")}
          data={centers}
          columns={columns}
          getRowId={(c) => c.id}
          initialSorting={[{ id: "prefecture", desc: false }]}
          empty={t("healthCenters.empty")}
          testId="health-centers-table"
        />
      )}

      {open?.kind === "create" || open?.kind === "edit" ? (
        <HealthCenterDialog
          key={open.kind === "edit" ? open.center.id : "new"}
          open
          center={open.kind === "edit" ? open.center : null}
          onClose={() => setOpen(null)}
        />
      ) : null}
      {open?.kind === "transfer" ? (
        <TransferDialog key={open.center.id} open center={open.center} onClose={() => setOpen(null)} />
      ) : null}
      {open?.kind === "retire" ? (
        <RetireDialog
          key={open.center.id}
          open
          center={open.center}
          centers={centers}
          onClose={() => setOpen(null)}
        />
      ) : null}
      <CsvImportDialog<MasterImportReply>
        open={open?.kind === "import"}
        onClose={() => setOpen(null)}
        title={t("healthCenters.import.title")}
        description={t("healthCenters.import.description")}
        path="/admin/health-centers/import"
        previewHeaders={[t("csv.action"), t("healthCenters.field.name"), t("csv.detail")]}
        previewCells={(r) => [t(`csv.actions.${r.action}`), r.name, r.detail]}
        onImported={changed}
        testId="hc-import-dialog"
      />
    </>
  );
}
