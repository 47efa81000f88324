import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { jobLabelKey } from "#domain/jobs.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Badge, type BadgeTone } from "../../app/ui/Badge.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { createDataColumnHelper, DataTable } from "../../app/ui/DataTable.tsx";
import { DateTimeText } from "../../app/ui/DateText.tsx";
import { Loading } from "../../app/ui/Loading.tsx";
import { PageHeader } from "../../app/ui/PageHeader.tsx";
import { type JobRun, jobsQueryOptions } from "./api.ts";

const column = createDataColumnHelper<JobRun>();

/** pg-boss job states. */
const jobStates = ["created", "retry", "active", "completed", "cancelled", "failed"] as const;

const stateTone: Record<string, BadgeTone> = {
  created: "neutral",
  retry: "warning",
  active: "info",
  completed: "success",
  cancelled: "neutral",
  failed: "danger",
};

function OutputCell({ output }: { output: unknown }) {
  const { t } = useTranslation("admin");
  if (output === null || output === undefined || output === "") {
    return <span className="text-solid-gray-700">{t("jobs.noOutput")}</span>;
  }
  const text = typeof output === "string" ? output : JSON.stringify(output, null, 2);
  if (text.length <= 60 && !text.includes("\n")) return <code className="text-mono-14N-150">{text}</code>;
  return (
    <details>
      <summary className="cursor-pointer text-blue-1000 underline">{t("jobs.showOutput")}</summary>
      <pre className="mt-2 max-h-64 max-w-xl overflow-auto rounded-6 bg-solid-gray-50 p-2 text-mono-14N-150">
        {text}
      </pre>
    </details>
  );
}

export function JobsPage() {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation("common");
  const query = useQuery(jobsQueryOptions);

  const columns = useMemo(
    () => [
      // Job names are dotted identifiers; the screen shows what each job does.
      column.accessor((j) => t(jobLabelKey(j.name), { defaultValue: j.name }), {
        id: "name",
        header: t("jobs.field.name"),
        filterFn: "includesString",
      }),
      column.accessor("state", {
        header: t("jobs.field.state"),
        filterFn: "equalsString",
        cell: (c) => (
          <Badge tone={stateTone[c.getValue()] ?? "neutral"}>
            {t(`jobs.state.${c.getValue()}`, { defaultValue: c.getValue() })}
          </Badge>
        ),
        meta: {
          filter: {
            kind: "select",
            options: jobStates.map((s) => ({ value: s, label: t(`jobs.state.${s}`) })),
          },
        },
      }),
      column.accessor("createdAt", {
        header: t("jobs.field.createdAt"),
        sortFn: "text",
        cell: (c) => <DateTimeText value={c.getValue()} />,
        meta: { filter: false, cellClassName: "whitespace-nowrap" },
      }),
      column.accessor((j) => j.completedAt ?? "", {
        id: "completedAt",
        header: t("jobs.field.completedAt"),
        sortFn: "text",
        cell: (c) => <DateTimeText value={c.getValue() || null} />,
        meta: { filter: false, cellClassName: "whitespace-nowrap" },
      }),
      column.display({
        id: "output",
        header: t("jobs.field.output"),
        cell: (c) => <OutputCell output={c.row.original.output} />,
        meta: { filter: false },
      }),
    ],
    [t],
  );

  return (
    <>
      <PageHeader
        title={t("jobs.title")}
        description={t("jobs.description")}
        actions={
          <Button variant="secondary" busy={query.isFetching} onClick={() => void query.refetch()}>
            {tc("action.refresh")}
          </Button>
        }
      />
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <ErrorAlert error={query.error} />
      ) : (
        <DataTable
          caption={t("jobs.title")}
          data={query.data.items}
          columns={columns}
          getRowId={(j) => String(j.id)}
          initialSorting={[{ id: "createdAt", desc: true }]}
          empty={t("jobs.empty")}
          testId="jobs-table"
        />
      )}
    </>
  );
}
