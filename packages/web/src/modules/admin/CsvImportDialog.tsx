import { useMutation } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { isApiError } from "../../app/api.ts";
import { Alert, ErrorAlert } from "../../app/ui/Alert.tsx";
import { Dialog, DialogActions } from "../../app/ui/Dialog.tsx";
import { type ImportReply, masterApi } from "./api.ts";

/** Reads a CSV file as UTF-8 (with or without BOM), or as Shift_JIS when a spreadsheet saved it so. */
async function readCsvFile(file: File): Promise<string> {
  const bytes = await file.arrayBuffer();
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("shift_jis").decode(bytes);
  }
}

/** One error line per CSV row: the spreadsheet's row number and what is wrong in it. */
function rowErrors(error: unknown): { key: string; row: string; message: string }[] {
  if (!isApiError(error)) return [];
  return error.fieldIssues.map((issue) => {
    const row = /^rows\.(\d+)\./.exec(issue.path)?.[1] ?? "";
    return { key: `${issue.path}:${issue.message}`, row, message: issue.message.replace(/^\d+行目:\s*/, "") };
  });
}

export type CsvImportDialogProps<T extends ImportReply> = {
  open: boolean;
  onClose: () => void;
  title: string;
  /** What the CSV holds: its columns, shown above the file picker. */
  description: ReactNode;
  /** POST route taking `{csv, dryRun}`. */
  path: string;
  /** A preview row in words (e.g. 新規・名称・市区町村数). */
  previewCells: (row: T["rows"][number]) => ReactNode[];
  previewHeaders: string[];
  /** What to show once imported (e.g. each account's first-login link). */
  result?: (rows: T["rows"]) => ReactNode;
  onImported?: () => void;
  testId?: string;
};

/**
 * Upload → preview (every row judged by the server, nothing written) → commit. A file with any
 * bad row is refused whole, with each row's errors by its spreadsheet row number.
 */
export function CsvImportDialog<T extends ImportReply>({
  open,
  onClose,
  title,
  description,
  path,
  previewCells,
  previewHeaders,
  result,
  onImported,
  testId,
}: CsvImportDialogProps<T>) {
  const { t } = useTranslation("admin");
  const [csv, setCsv] = useState<{ name: string; text: string } | null>(null);
  const preview = useMutation({
    mutationFn: (text: string) => masterApi.importCsv<T>(path, text, true),
  });
  const commit = useMutation({
    mutationFn: (text: string) => masterApi.importCsv<T>(path, text, false),
    onSuccess: () => onImported?.(),
  });
  const close = () => {
    setCsv(null);
    preview.reset();
    commit.reset();
    onClose();
  };
  const pick = async (file: File | undefined) => {
    preview.reset();
    commit.reset();
    if (!file) return setCsv(null);
    const text = await readCsvFile(file);
    setCsv({ name: file.name, text });
    preview.mutate(text);
  };
  const failed = commit.error ?? preview.error;
  const errors = rowErrors(failed);
  const done: T | undefined = commit.data;

  return (
    <Dialog
      open={open}
      onClose={close}
      title={title}
      size="lg"
      dismissable={!commit.isPending}
      footer={
        <DialogActions
          onCancel={close}
          done={!!done}
          doneTestId="csv-close"
          onClick={() => csv && commit.mutate(csv.text)}
          disabled={!preview.isSuccess || !csv}
          busy={commit.isPending}
          data-testid="csv-commit"
        >
          {preview.data ? t("csv.commit", { count: preview.data.rows.length }) : t("csv.commitNone")}
        </DialogActions>
      }
    >
      <div className="flex flex-col gap-4" data-testid={testId}>
        {done ? (
          <>
            <Alert tone="success" title={t("csv.done", { count: done.rows.length })} testId="csv-done" />
            {result?.(done.rows)}
          </>
        ) : (
          <>
            <div className="text-std-16N-170">{description}</div>
            <div className="flex flex-col gap-1">
              <p className="text-std-16B-170 text-solid-gray-800">{t("csv.file")}</p>
              <div className="flex flex-wrap items-center gap-3">
                {/* The native picker's own words follow the browser's language, not the app's. */}
                <input
                  id={`${testId}-file`}
                  type="file"
                  accept=".csv,text/csv"
                  data-testid="csv-file"
                  onChange={(e) => void pick(e.currentTarget.files?.[0])}
                  className="peer sr-only"
                />
                <label
                  htmlFor={`${testId}-file`}
                  className="inline-flex min-h-12 cursor-pointer items-center rounded-8 border-2 border-blue-900 bg-white px-4 py-2 text-oln-16B-100 text-blue-900 hover:bg-blue-200 hover:underline peer-focus-visible:outline-4 peer-focus-visible:outline-black"
                >
                  {t("csv.choose")}
                </label>
                <span className="text-std-16N-170">{csv?.name ?? t("csv.noFile")}</span>
              </div>
              <p className="text-dns-14N-130 text-solid-gray-700">{t("csv.fileHint")}</p>
            </div>
            {preview.isPending ? <p role="status">{t("csv.checking")}</p> : null}
            {errors.length > 0 ? (
              <Alert tone="error" title={t("csv.refused", { count: errors.length })} testId="csv-errors">
                <table className="mt-2 w-full border-collapse text-left">
                  <thead>
                    <tr className="border-b border-solid-gray-420">
                      <th scope="col" className="w-20 px-2 py-1 text-dns-16B-130">
                        {t("csv.row")}
                      </th>
                      <th scope="col" className="px-2 py-1 text-dns-16B-130">
                        {t("csv.problem")}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {errors.map((e) => (
                      <tr key={e.key} className="border-b border-solid-gray-200 last:border-b-0">
                        <td className="px-2 py-1 font-mono text-dns-16N-130">
                          {e.row ? t("csv.rowNumber", { row: e.row }) : t("csv.wholeFile")}
                        </td>
                        <td className="px-2 py-1 text-dns-16N-130">{e.message}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </Alert>
            ) : failed ? (
              <ErrorAlert error={failed} />
            ) : null}
            {preview.data ? (
              <section aria-labelledby="csv-preview-title" data-testid="csv-preview">
                <h3 id="csv-preview-title" className="mb-2 text-std-17B-170">
                  {t("csv.preview", { name: csv?.name ?? "", count: preview.data.rows.length })}
                </h3>
                <div className="max-h-80 overflow-y-auto rounded-8 border border-solid-gray-420">
                  <table className="w-full border-collapse text-left">
                    <thead className="sticky top-0 bg-solid-gray-50">
                      <tr className="border-b border-solid-gray-420">
                        <th scope="col" className="w-20 px-3 py-2 text-dns-16B-130">
                          {t("csv.row")}
                        </th>
                        {previewHeaders.map((h) => (
                          <th key={h} scope="col" className="px-3 py-2 text-dns-16B-130">
                            {h}
                          </th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {preview.data.rows.map((r) => (
                        <tr key={r.row} className="border-b border-solid-gray-200 last:border-b-0">
                          <td className="px-3 py-2 font-mono text-dns-16N-130">{r.row}</td>
                          {previewCells(r).map((cell, i) => (
                            <td key={previewHeaders[i]} className="px-3 py-2 text-dns-16N-130">
                              {cell}
                            </td>
                          ))}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </section>
            ) : null}
          </>
        )}
      </div>
    </Dialog>
  );
}
