import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ageBands } from "#domain/codes.ts";
import { addDays, parseDateInput } from "#domain/dates.ts";
import { notificationFormFor } from "#domain/disease/index.ts";
import { fieldErrors } from "../../app/api.ts";
import { can, useMe } from "../../app/auth.ts";
import { tokyoToday } from "../../app/format.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { DateField } from "../../app/ui/DateInput.tsx";
import { DateText, DateTimeText } from "../../app/ui/DateText.tsx";
import { PageHeader } from "../../app/ui/PageHeader.tsx";
import { Select } from "../../app/ui/Select.tsx";
import { TextField } from "../../app/ui/TextField.tsx";
import { diseaseListQueryOptions } from "../diseases/api.ts";
import { useDiseaseName } from "../diseases/names.ts";
import { dailyCountsQueryOptions, diseaseQueryOptions, notificationKeys, notificationsApi } from "./api.ts";

/**
 * 日次報告: age-band totals of diagnosed patients not notified one by one (COVID-19 from
 * 2022-09-26). Offered for the diseases whose definition feeds such totals, and only for dates
 * whose form in force says so.
 */
export function DailyCountsPage() {
  const { t, i18n } = useTranslation("notifications");
  const lang = i18n.language === "en" ? "en" : "ja";
  const me = useMe();
  const queryClient = useQueryClient();
  const diseaseName = useDiseaseName();
  const list = useQuery(diseaseListQueryOptions);
  const counted = (list.data?.items ?? []).filter((d) => d.statistics.includes("daily_age_band_counts"));
  const [chosen, setChosen] = useState("");
  const diseaseCode = chosen || counted[0]?.code || "";
  const definition = useQuery({ ...diseaseQueryOptions(diseaseCode), enabled: diseaseCode !== "" });
  const [date, setDate] = useState("");
  const [counts, setCounts] = useState<Record<string, string>>({});
  const iso = parseDateInput(date);
  // A date whose form in force has every case notified (or no notification at all) takes no totals.
  const dateTakesCounts =
    !iso ||
    !definition.data ||
    notificationFormFor(definition.data, iso)?.unnotifiedReporting === "daily_age_band_counts";
  const to = iso ?? tokyoToday();
  const reports = useQuery(dailyCountsQueryOptions(addDays(to, -30), to));
  const save = useMutation({
    mutationFn: () =>
      notificationsApi.reportDailyCounts({
        diseaseCode,
        date: iso ?? date,
        counts: ageBands.map((b) => ({
          ageBand: b.code,
          count: Number((counts[b.code] ?? "").normalize("NFKC") || 0),
        })),
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
  const errors = fieldErrors(save.error);
  const total = ageBands.reduce((sum, b) => sum + (Number((counts[b.code] ?? "").normalize("NFKC")) || 0), 0);
  const canReport = can(me, "create", "dailyCount") && counted.length > 0;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };

  return (
    <>
      <PageHeader
        eyebrow={
          <Link to="/notifications" className="text-blue-1000 underline">
            {t("list.title")}
          </Link>
        }
        title={t("counts.title")}
        description={t("counts.description")}
      />
      {canReport ? (
        <form
          onSubmit={submit}
          className="mb-6 flex flex-col gap-4 rounded-12 border border-solid-gray-420 p-5"
          noValidate
        >
          <Select
            id="counts-disease"
            name="diseaseCode"
            label={t("counts.disease")}
            value={diseaseCode}
            options={counted.map((d) => ({ value: d.code, label: lang === "en" ? d.nameEn : d.name }))}
            onChange={(e) => setChosen(e.target.value)}
            error={errors.diseaseCode}
            className="max-w-sm"
          />
          <DateField
            id="counts-date"
            name="date"
            value={date}
            onText={setDate}
            error={errors.date ?? (dateTakesCounts ? undefined : t("counts.notOnDate"))}
            required
            label={t("counts.date")}
            className="max-w-sm"
          />
          <div className="grid grid-cols-2 gap-3 md:grid-cols-5">
            {ageBands.map((b) => (
              <TextField
                key={b.code}
                label={b[lang]}
                inputMode="numeric"
                value={counts[b.code] ?? ""}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  setCounts((c) => ({ ...c, [b.code]: value }));
                }}
                name={`count-${b.code}`}
              />
            ))}
          </div>
          <p className="text-std-16B-170">{t("counts.total", { total })}</p>
          <ErrorAlert error={save.error} />
          {save.data ? <p data-testid="counts-saved">{t("counts.saved")}</p> : null}
          <Button type="submit" busy={save.isPending} disabled={!dateTakesCounts} className="self-start">
            {t("counts.submit")}
          </Button>
        </form>
      ) : null}
      <section aria-labelledby="counts-heading">
        <h2 id="counts-heading" className="mb-2 text-std-20B-150">
          {t("counts.recent")}
        </h2>
        <ErrorAlert error={reports.error} />
        <div className="relative overflow-x-auto rounded-8 border border-solid-gray-420">
          <table className="w-full text-left text-dns-16N-130">
            <thead className="bg-solid-gray-50">
              <tr>
                <th scope="col" className="px-3 py-2">
                  {t("counts.date")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("counts.disease")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("counts.reporter")}
                </th>
                {ageBands.map((b) => (
                  <th key={b.code} scope="col" className="px-2 py-2 text-right">
                    {b[lang]}
                  </th>
                ))}
                <th scope="col" className="px-3 py-2 text-right">
                  {t("counts.sum")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("counts.reportedAt")}
                </th>
              </tr>
            </thead>
            <tbody>
              {(reports.data?.items ?? []).map((r) => (
                <tr key={r.id} className="border-t border-solid-gray-200">
                  <td className="px-3 py-2 whitespace-nowrap">
                    <DateText value={r.date} />
                  </td>
                  <td className="px-3 py-2">{diseaseName(r.diseaseCode)}</td>
                  <td className="px-3 py-2">{r.reporterName}</td>
                  {ageBands.map((b) => (
                    <td key={b.code} className="px-2 py-2 text-right">
                      {r.counts[b.code] ?? 0}
                    </td>
                  ))}
                  <td className="px-3 py-2 text-right font-bold">{r.total}</td>
                  <td className="px-3 py-2 whitespace-nowrap">
                    <DateTimeText value={r.reportedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
