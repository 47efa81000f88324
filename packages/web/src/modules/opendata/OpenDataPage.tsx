import { useState } from "react";
import { useTranslation } from "react-i18next";
import { prefectures } from "#domain/codes.ts";
import { addDays, todayInTokyo } from "#domain/dates.ts";
import { ApiError, buildUrl, fieldErrors } from "../../app/api.ts";
import { useMe } from "../../app/auth.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { DateInput } from "../../app/ui/DateInput.tsx";
import { PageHeader } from "../../app/ui/PageHeader.tsx";
import { Select } from "../../app/ui/Select.tsx";
import { useDiseaseOptions } from "../diseases/names.ts";

type OpenDataFile = "positive-patients" | "positive-counts";
const files: OpenDataFile[] = ["positive-patients", "positive-counts"];

/** Streams one file, counting its rows as they arrive, then saves it under the server's name. */
async function download(
  prefectureCode: string,
  file: OpenDataFile,
  range: { from: string; to: string; diseaseCode?: string },
  onRows: (rows: number) => void,
) {
  const response = await fetch(buildUrl(`/opendata/${prefectureCode}/${file}.csv`, range), {
    credentials: "same-origin",
  });
  if (!response.ok || !response.body) {
    const body = (await response.json().catch(() => null)) as {
      error?: { code?: string; message?: string; details?: { path: string; message: string }[] };
    } | null;
    throw new ApiError({
      status: response.status,
      code: body?.error?.code ?? `http_${response.status}`,
      message: body?.error?.message ?? response.statusText,
      details: body?.error?.details,
    });
  }
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let newlines = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    for (const byte of value) if (byte === 0x0a) newlines++;
    onRows(Math.max(0, newlines - 1));
  }
  const name =
    /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? `${file}.csv`;
  const url = URL.createObjectURL(new Blob(parts as BlobPart[], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** オープンデータ: the prefecture's 陽性患者属性 and 陽性患者数 files for a date range. */
export function OpenDataPage() {
  const { t } = useTranslation("opendata");
  const me = useMe();
  const own = me.role === "prefecture" ? me.affiliation.id : null;
  const [prefectureCode, setPrefectureCode] = useState(own ?? "13");
  const today = todayInTokyo();
  const [from, setFrom] = useState(addDays(today, -89));
  const [to, setTo] = useState(today);
  // One disease per file if asked: rare diseases beside municipality, age and sex identify people.
  const [diseaseCode, setDiseaseCode] = useState("");
  const diseaseOptions = useDiseaseOptions();
  const [busy, setBusy] = useState<OpenDataFile | null>(null);
  const [rows, setRows] = useState<{ file: OpenDataFile; rows: number; done: boolean } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const issues = fieldErrors(error);

  const start = async (file: OpenDataFile) => {
    setBusy(file);
    setError(null);
    setRows({ file, rows: 0, done: false });
    try {
      const range = { from, to, ...(diseaseCode ? { diseaseCode } : {}) };
      await download(prefectureCode, file, range, (n) => setRows({ file, rows: n, done: false }));
      setRows((r) => (r ? { ...r, done: true } : r));
    } catch (e) {
      setRows(null);
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div>
      <PageHeader title={t("title")} description={t("description")} />
      <section className="max-w-3xl rounded-8 border border-solid-gray-420 p-4" aria-labelledby="od-range">
        <h2 id="od-range" className="mb-3 text-std-20B-150">
          {t("conditions")}
        </h2>
        <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
          <Select
            label={t("prefecture")}
            value={prefectureCode}
            disabled={own !== null}
            onChange={(e) => setPrefectureCode(e.target.value)}
            codes={prefectures}
            error={issues.prefectureCode}
            data-testid="opendata-prefecture"
          />
          <Select
            label={t("disease")}
            value={diseaseCode}
            onChange={(e) => setDiseaseCode(e.target.value)}
            placeholder={t("allDiseases")}
            options={diseaseOptions}
            error={issues.diseaseCode}
            data-testid="opendata-disease"
          />
          <DateInput
            label={t("from")}
            formatHint={false}
            value={from}
            onChange={(v) => setFrom(v ?? "")}
            error={issues.from}
            testId="opendata-from"
          />
          <DateInput
            label={t("to")}
            formatHint={false}
            value={to}
            onChange={(v) => setTo(v ?? "")}
            error={issues.to}
            testId="opendata-to"
          />
        </div>
        <p className="mt-2 text-dns-14N-130 text-solid-gray-700">{t("rangeHint")}</p>
        <ul className="mt-4 flex flex-col gap-3">
          {files.map((file) => (
            <li key={file} className="flex flex-wrap items-center gap-3">
              <Button
                onClick={() => void start(file)}
                busy={busy === file}
                disabled={busy !== null}
                data-testid={`download-${file}`}
              >
                {t(`file.${file}.button`)}
              </Button>
              <span className="text-dns-14N-130 text-solid-gray-700">{t(`file.${file}.about`)}</span>
            </li>
          ))}
        </ul>
        {rows ? (
          <p className="mt-3 text-dns-14N-130" aria-live="polite" data-testid="opendata-progress">
            {rows.done ? t("done", { count: rows.rows }) : t("progress", { count: rows.rows })}
          </p>
        ) : null}
        <ErrorAlert error={error} className="mt-3" />
      </section>
      <p className="mt-4 max-w-3xl text-dns-14N-130 text-solid-gray-700">{t("privacy")}</p>
    </div>
  );
}
