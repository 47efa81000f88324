import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert, ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { PageHeader } from "../../app/ui/PageHeader.tsx";
import { Select } from "../../app/ui/Select.tsx";
import { diseaseListQueryOptions } from "../diseases/api.ts";
import { useDiseaseName } from "../diseases/names.ts";
import { notificationKeys, notificationsApi, resultUrl, templateUrl, type UploadPreview } from "./api.ts";

const PREVIEW_ROWS_SHOWN = 200;

/** CSV bulk filing: template, preview with per-row errors (nothing saved), then save with a result file. */
export function UploadPage() {
  const { t } = useTranslation("notifications");
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [encoding, setEncoding] = useState("auto");
  // A template per disease: its example row uses that disease's symptoms, methods and specimens.
  const diseases = useQuery(diseaseListQueryOptions);
  const notifiable = (diseases.data?.items ?? []).filter((d) => d.individualNotification);
  const diseaseName = useDiseaseName();
  const [chosen, setChosen] = useState("");
  const diseaseCode = chosen || notifiable[0]?.code;
  const preview = useMutation({ mutationFn: (f: File) => notificationsApi.previewCsv(f, encoding) });
  const commit = useMutation({
    mutationFn: (f: File) => notificationsApi.commitCsv(f, encoding),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });

  const choose = (f: File | null) => {
    setFile(f);
    preview.reset();
    commit.reset();
    if (f) preview.mutate(f);
  };
  const shown: UploadPreview["rows"] = (preview.data?.rows ?? [])
    .filter((r) => !r.ok || r.duplicateOf)
    .concat((preview.data?.rows ?? []).filter((r) => r.ok && !r.duplicateOf))
    .slice(0, PREVIEW_ROWS_SHOWN);

  return (
    <>
      <PageHeader
        eyebrow={
          <Link to="/notifications" className="text-blue-1000 underline">
            {t("list.title")}
          </Link>
        }
        title={t("upload.title")}
        description={t("upload.description")}
      />
      <div className="flex flex-col gap-5">
        <section className="flex flex-wrap items-end gap-4 rounded-12 border border-solid-gray-420 p-5">
          <div className="flex flex-col gap-2">
            <p className="text-std-16B-170">{t("upload.template")}</p>
            <Select
              id="template-disease"
              label={t("field.diseaseCode")}
              value={diseaseCode ?? ""}
              options={notifiable.map((d) => ({ value: d.code, label: diseaseName(d.code) }))}
              onChange={(e) => setChosen(e.target.value)}
            />
            <div className="flex gap-3">
              <a
                href={templateUrl("utf8", diseaseCode)}
                className="text-blue-1000 underline"
                data-testid="template-utf8"
              >
                {t("upload.templateUtf8")}
              </a>
              <a href={templateUrl("sjis", diseaseCode)} className="text-blue-1000 underline">
                {t("upload.templateSjis")}
              </a>
            </div>
          </div>
          <Select
            label={t("upload.encoding")}
            value={encoding}
            onChange={(e) => setEncoding(e.currentTarget.value)}
            options={[
              { value: "auto", label: t("upload.encodingAuto") },
              { value: "utf8", label: "UTF-8" },
              { value: "sjis", label: "Shift_JIS" },
            ]}
            className="w-56"
          />
          <label className="flex flex-col gap-1">
            <span className="text-std-16B-170">{t("upload.file")}</span>
            <input
              type="file"
              accept=".csv,text/csv"
              onChange={(e) => choose(e.currentTarget.files?.[0] ?? null)}
              data-testid="csv-file"
              className="text-std-16N-170"
            />
          </label>
        </section>

        <ErrorAlert error={preview.error ?? commit.error} />

        {preview.data && !commit.data ? (
          <section className="flex flex-col gap-3" aria-labelledby="preview-heading">
            <h2 id="preview-heading" className="text-std-20B-150">
              {t("upload.previewTitle")}
            </h2>
            <p data-testid="preview-summary">
              {t("upload.previewSummary", {
                total: preview.data.total,
                valid: preview.data.valid,
                duplicates: preview.data.duplicates,
                invalid: preview.data.invalid,
                encoding: preview.data.encoding === "sjis" ? "Shift_JIS" : "UTF-8",
              })}
            </p>
            {preview.data.unknownColumns.length > 0 ? (
              <Alert tone="warning">
                {t("upload.unknownColumns", { columns: preview.data.unknownColumns.join("、") })}
              </Alert>
            ) : null}
            <div className="relative overflow-x-auto rounded-8 border border-solid-gray-420">
              <table className="w-full text-left" data-testid="preview-table">
                <caption className="sr-only">{t("upload.previewTitle")}</caption>
                <thead className="bg-solid-gray-50">
                  <tr>
                    <th scope="col" className="px-3 py-2">
                      {t("upload.row")}
                    </th>
                    <th scope="col" className="px-3 py-2">
                      {t("upload.result")}
                    </th>
                    <th scope="col" className="px-3 py-2">
                      {t("list.name")}
                    </th>
                    <th scope="col" className="px-3 py-2">
                      {t("upload.errors")}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((r) => (
                    <tr
                      key={r.row}
                      className="border-t border-solid-gray-200"
                      data-testid={
                        r.duplicateOf ? "preview-duplicate" : r.ok ? "preview-ok" : "preview-error"
                      }
                    >
                      <td className="px-3 py-2">{r.row}</td>
                      <td className="px-3 py-2">
                        {r.duplicateOf === null
                          ? r.ok
                            ? t("upload.ok")
                            : t("upload.ng")
                          : "row" in r.duplicateOf
                            ? t("upload.duplicateOfRow", { row: r.duplicateOf.row })
                            : t("upload.duplicateOfFiled", { number: r.duplicateOf.number })}
                      </td>
                      <td className="px-3 py-2">{r.nameKanji ?? ""}</td>
                      <td className="px-3 py-2 text-dns-14N-130">
                        {r.errors.map((e) => (
                          <span key={`${e.path}-${e.message}`} className="block">
                            {e.column ?? e.path}: {e.message}
                          </span>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="flex flex-wrap items-center gap-3">
              <Button
                onClick={() => file && commit.mutate(file)}
                disabled={!file || preview.data.valid === 0}
                busy={commit.isPending}
                data-testid="commit-upload"
              >
                {t("upload.commit", { count: preview.data.valid })}
              </Button>
              <p className="text-dns-14N-130 text-solid-gray-700">{t("upload.commitHint")}</p>
            </div>
          </section>
        ) : null}

        {commit.data ? (
          <Alert
            tone={commit.data.failed > 0 ? "warning" : "success"}
            title={t("upload.doneTitle")}
            testId="upload-result"
          >
            <p>
              {t("upload.doneSummary", {
                created: commit.data.created,
                duplicates: commit.data.duplicates,
                failed: commit.data.failed,
              })}
            </p>
            <a href={resultUrl(commit.data.uploadId)} className="underline" data-testid="result-file">
              {t("upload.resultFile")}
            </a>
          </Alert>
        ) : null}
      </div>
    </>
  );
}
