import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, buildUrl, type Query } from "../../app/api.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import type { CaseSearch } from "./api.ts";

type Progress = { rows: number; total: number } | null;

/** Streams the CSV of the current filter, counting rows as they arrive, then saves the file. */
async function downloadCsv(search: CaseSearch, onProgress: (p: Progress) => void): Promise<void> {
  const response = await fetch(buildUrl("/cases/export.csv", search as Query), {
    credentials: "same-origin",
  });
  if (!response.ok || !response.body) {
    const body = (await response.json().catch(() => null)) as {
      error?: { code?: string; message?: string };
    } | null;
    throw new ApiError({
      status: response.status,
      code: body?.error?.code ?? `http_${response.status}`,
      message: body?.error?.message ?? response.statusText,
    });
  }
  const total = Number(response.headers.get("x-total-count") ?? 0);
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let newlines = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    for (const byte of value) if (byte === 0x0a) newlines++;
    // The first line is the header.
    onProgress({ rows: Math.max(0, newlines - 1), total });
  }
  const name =
    /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? "cases.csv";
  const url = URL.createObjectURL(new Blob(parts as BlobPart[], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ExportButton({ search }: { search: CaseSearch }) {
  const { t } = useTranslation("cases");
  const [progress, setProgress] = useState<Progress>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const start = async () => {
    setBusy(true);
    setError(null);
    setProgress(null);
    try {
      await downloadCsv(search, setProgress);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="flex flex-col items-end gap-2">
      <Button variant="secondary" busy={busy} onClick={() => void start()} data-testid="export-csv">
        {t("export.button")}
      </Button>
      {progress && progress.total > 0 ? (
        <div className="flex items-center gap-2" data-testid="export-progress">
          <progress
            max={progress.total}
            value={progress.rows}
            className="w-40"
            aria-label={t("export.progressLabel")}
          />
          <span className="text-dns-14N-130" aria-live="polite">
            {busy ? t("export.progress", progress) : t("export.done", progress)}
          </span>
        </div>
      ) : null}
      <ErrorAlert error={error} />
    </div>
  );
}
