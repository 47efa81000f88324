import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { type FormEvent, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { type Facility, facilityKinds, jurisdictionsQueryOptions } from "../../app/reference.ts";
import { Badge } from "../../app/ui/Badge.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { createDataColumnHelper } from "../../app/ui/DataTable.tsx";
import { PagedTable } from "../../app/ui/PagedTable.tsx";
import { PageHeader } from "../../app/ui/PageHeader.tsx";
import { Select } from "../../app/ui/Select.tsx";
import { TextField } from "../../app/ui/TextField.tsx";
import { facilitiesPagesQueryOptions, type MasterImportReply } from "./api.ts";
import { CsvImportDialog } from "./CsvImportDialog.tsx";
import { FacilityDialog } from "./FacilityDialog.tsx";
import { useMasterChanged } from "./HealthCenterDialogs.tsx";
import { JurisdictionTabs } from "./JurisdictionTabs.tsx";

const column = createDataColumnHelper<Facility>();

export function FacilitiesPage() {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation("common");
  const jurisdictions = useQuery(jurisdictionsQueryOptions);
  const [draft, setDraft] = useState({ q: "", prefectureCode: "", kind: "" });
  const [filter, setFilter] = useState(draft);
  const query = useInfiniteQuery(
    facilitiesPagesQueryOptions({
      q: filter.q || undefined,
      prefectureCode: filter.prefectureCode || undefined,
      kind: filter.kind || undefined,
    }),
  );
  const [editing, setEditing] = useState<{ facility: Facility | null } | null>(null);
  const [importing, setImporting] = useState(false);
  const changed = useMasterChanged();

  const columns = useMemo(() => {
    const prefectureName = new Map((jurisdictions.data?.prefectures ?? []).map((p) => [p.code, p.name]));
    const centerName = new Map((jurisdictions.data?.healthCenters ?? []).map((h) => [h.id, h.name]));
    return [
      column.accessor("name", { header: t("facilities.field.name"), filterFn: "includesString" }),
      column.accessor("kind", {
        header: t("facilities.field.kind"),
        filterFn: "equalsString",
        cell: (c) => <Badge>{tc(`facilityKind.${c.getValue()}`, { defaultValue: c.getValue() })}</Badge>,
        meta: {
          filter: {
            kind: "select",
            options: facilityKinds.map((k) => ({ value: k, label: tc(`facilityKind.${k}`) })),
          },
        },
      }),
      column.accessor((f) => f.medicalInstitutionCode ?? "", {
        id: "medicalInstitutionCode",
        header: t("facilities.field.code"),
        filterFn: "includesString",
        meta: { cellClassName: "font-mono whitespace-nowrap" },
      }),
      column.accessor(
        (f) => (f.prefectureCode ? (prefectureName.get(f.prefectureCode) ?? f.prefectureCode) : ""),
        {
          id: "prefecture",
          header: t("facilities.field.prefecture"),
          filterFn: "includesString",
          meta: { cellClassName: "whitespace-nowrap" },
        },
      ),
      column.accessor(
        (f) => (f.healthCenterId ? (centerName.get(f.healthCenterId) ?? f.healthCenterId) : ""),
        {
          id: "healthCenter",
          header: t("facilities.field.healthCenter"),
          filterFn: "includesString",
        },
      ),
      column.accessor((f) => f.address ?? "", {
        id: "address",
        header: t("facilities.field.address"),
        filterFn: "includesString",
      }),
      column.accessor((f) => f.beds ?? -1, {
        id: "beds",
        header: t("facilities.field.bedsShort"),
        sortFn: "basic",
        cell: (c) => {
          const f = c.row.original;
          return f.beds == null
            ? ""
            : t("facilities.bedsValue", { beds: f.beds, infectious: f.infectiousBeds ?? 0 });
        },
        meta: { filter: false, cellClassName: "whitespace-nowrap text-right" },
      }),
      column.display({
        id: "actions",
        header: t("users.field.actions"),
        cell: (c) => (
          <Button
            size="sm"
            variant="secondary"
            onClick={() => setEditing({ facility: c.row.original })}
            aria-label={t("facilities.edit.label", { name: c.row.original.name })}
            data-testid={`facility-edit-${c.row.original.medicalInstitutionCode ?? c.row.original.id}`}
          >
            {t("healthCenters.edit.button")}
          </Button>
        ),
        meta: { filter: false },
      }),
    ];
  }, [t, tc, jurisdictions.data]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFilter({ ...draft, q: draft.q.trim() });
  };

  return (
    <>
      <PageHeader
        title={t("jurisdictions.title")}
        description={t("facilities.description")}
        actions={
          <>
            <Button variant="secondary" onClick={() => setImporting(true)} data-testid="facility-import">
              {t("facilities.import.open")}
            </Button>
            <Button onClick={() => setEditing({ facility: null })} data-testid="facility-create">
              {t("facilities.create.open")}
            </Button>
          </>
        }
      />
      <JurisdictionTabs />
      <search>
        <form
          onSubmit={submit}
          className="mb-6 grid grid-cols-1 items-end gap-4 md:grid-cols-[1fr_14rem_12rem_auto]"
        >
          <TextField
            type="search"
            label={t("facilities.search")}
            value={draft.q}
            onChange={(e) => setDraft({ ...draft, q: e.currentTarget.value })}
          />
          <Select
            label={t("facilities.field.prefecture")}
            placeholder={t("users.create.allPrefectures")}
            options={(jurisdictions.data?.prefectures ?? []).map((p) => ({
              value: p.code,
              label: `${p.code} ${p.name}`,
            }))}
            value={draft.prefectureCode}
            onChange={(e) => setDraft({ ...draft, prefectureCode: e.currentTarget.value })}
            data-testid="facility-prefecture-filter"
          />
          <Select
            label={t("facilities.field.kind")}
            placeholder={tc("table.all")}
            options={facilityKinds.map((k) => ({ value: k, label: tc(`facilityKind.${k}`) }))}
            value={draft.kind}
            onChange={(e) => setDraft({ ...draft, kind: e.currentTarget.value })}
          />
          <Button type="submit" variant="secondary" data-testid="facility-search">
            {tc("action.search")}
          </Button>
        </form>
      </search>
      <PagedTable
        query={query}
        caption={t("facilities.tab")}
        columns={columns}
        getRowId={(f) => f.id}
        initialSorting={[{ id: "name", desc: false }]}
        empty={t("facilities.empty")}
        testId="facilities-table"
      />
      {editing ? (
        <FacilityDialog
          key={editing.facility?.id ?? "new"}
          open
          facility={editing.facility}
          onClose={() => setEditing(null)}
        />
      ) : null}
      <CsvImportDialog<MasterImportReply>
        open={importing}
        onClose={() => setImporting(false)}
        title={t("facilities.import.title")}
        description={t("facilities.import.description")}
        path="/admin/facilities/import"
        previewHeaders={[t("csv.action"), t("facilities.field.name"), t("facilities.field.code")]}
        previewCells={(r) => [t(`csv.actions.${r.action}`), r.name, r.detail]}
        onImported={changed}
        testId="facility-import-dialog"
      />
    </>
  );
}
