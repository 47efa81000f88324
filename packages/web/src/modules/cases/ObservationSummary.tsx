import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { alertRules, alertSeverities, observationQuestions, urgentSymptoms } from "#domain/codes.ts";
import { Badge } from "../../app/ui/Badge.tsx";
import { CompactDate } from "../../app/ui/CompactDate.tsx";
import { DateText } from "../../app/ui/DateText.tsx";
import { Definitions } from "./Definitions.tsx";
import { useCodeLabel } from "./labels.ts";

// The health module's observation summary (GET /cases/{id} → observation.summary).
export type ObservationSummaryData = {
  underObservation: boolean;
  period: {
    startDate: string;
    endDate: string | null;
    releaseDate: string | null;
    days: number | null;
  } | null;
  lastReportAt: string | null;
  latestReports: {
    id: string;
    measuredAt: string;
    bodyTemperature: number;
    spo2: number | null;
    urgentSymptoms: string[];
    cough: boolean;
    runnyNose: boolean;
    breathlessness: boolean;
    fatigue: boolean;
    /** The disease's further questions, answered yes / no / unknown. */
    additionalAnswers: Record<string, string> | null;
    /** 保健所への連絡事項, as the patient wrote it. */
    note: string | null;
    channel: string;
  }[];
  openAlerts: { id: string; rule: string; severity: string; createdAt: string }[];
};

export function isObservationSummary(value: unknown): value is ObservationSummaryData {
  return typeof value === "object" && value !== null && "latestReports" in value && "openAlerts" in value;
}

type Report = ObservationSummaryData["latestReports"][number];

/** 健康観察: period, open alerts and the latest reports, with a way to the 健康状態一覧. */
export function ObservationSummary({ summary }: { summary: ObservationSummaryData }) {
  const { t } = useTranslation("cases");
  const { t: th } = useTranslation("health");
  const codeLabel = useCodeLabel();
  // Every answer that asks for attention: symptoms present, questions answered yes or unknown.
  const findings = (r: Report) =>
    [
      ...(["cough", "runnyNose", "breathlessness", "fatigue"] as const)
        .filter((s) => r[s])
        .map((s) => th(`symptom.${s}`)),
      ...Object.entries(r.additionalAnswers ?? {})
        .filter(([, answer]) => answer !== "no")
        .map(([q, answer]) =>
          answer === "yes"
            ? codeLabel(observationQuestions, q)
            : t("observation.unknownAnswer", { question: codeLabel(observationQuestions, q) }),
        ),
    ].join("、") || t("value.none");
  return (
    <div className="flex flex-col gap-6" data-testid="observation-summary">
      <Definitions
        items={[
          [t("observation.underObservation"), summary.underObservation ? t("value.yes") : t("value.no")],
          [
            t("observation.period"),
            summary.period ? (
              <span key="p">
                <DateText value={summary.period.startDate} /> 〜 <DateText value={summary.period.endDate} />
              </span>
            ) : (
              t("value.none")
            ),
          ],
          [t("observation.lastReportAt"), <CompactDate key="l" value={summary.lastReportAt} time />],
        ]}
      />
      <div>
        <h3 className="mb-2 text-std-18B-160">{t("observation.openAlerts")}</h3>
        {summary.openAlerts.length === 0 ? (
          <p className="text-std-16N-170 text-solid-gray-700">{t("observation.noAlerts")}</p>
        ) : (
          <ul className="flex flex-wrap gap-2">
            {summary.openAlerts.map((a) => (
              <li key={a.id}>
                <Badge tone={a.severity === "critical" ? "danger" : "warning"}>
                  {codeLabel(alertSeverities, a.severity)}: {codeLabel(alertRules, a.rule)}
                </Badge>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div>
        <h3 className="mb-2 text-std-18B-160">{t("observation.latestReports")}</h3>
        {summary.latestReports.length === 0 ? (
          <p className="text-std-16N-170 text-solid-gray-700">{t("observation.noReports")}</p>
        ) : (
          <table className="w-full border-collapse text-left text-dns-16N-130">
            <thead className="bg-solid-gray-50">
              <tr>
                <th scope="col" className="px-3 py-2">
                  {t("observation.measuredAt")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("observation.temperature")}
                </th>
                <th scope="col" className="px-3 py-2">
                  SpO2
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("observation.urgent")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("observation.findings")}
                </th>
              </tr>
            </thead>
            <tbody>
              {summary.latestReports.map((r) => (
                <tr key={r.id} className="border-t border-solid-gray-200 align-top">
                  <td className="px-3 py-2">
                    <CompactDate value={r.measuredAt} time />
                  </td>
                  <td className="px-3 py-2">{r.bodyTemperature.toFixed(1)} ℃</td>
                  <td className="px-3 py-2">{r.spo2 === null ? t("value.none") : `${r.spo2}%`}</td>
                  <td className="px-3 py-2">
                    {r.urgentSymptoms.length === 0
                      ? t("value.none")
                      : r.urgentSymptoms.map((u) => codeLabel(urgentSymptoms, u)).join("、")}
                  </td>
                  <td className="px-3 py-2">
                    {findings(r)}
                    {r.note ? (
                      <p className="mt-1 whitespace-pre-wrap font-bold" data-testid="report-note">
                        {t("observation.note")}: {r.note}
                      </p>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <p>
        <Link to="/health" className="text-blue-1000 underline">
          {t("observation.toList")}
        </Link>
      </p>
    </div>
  );
}
