import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import {
  diagnosisClasses,
  diagnosisMethods,
  riskFactors,
  severities,
  specimens,
  symptoms,
  testResults,
} from "#domain/codes.ts";
import type { CodeLists } from "#domain/disease/types.ts";
import { can, useMe } from "../../app/auth.ts";
import { DateText } from "../../app/ui/DateText.tsx";
import { Definitions } from "./Definitions.tsx";
import { useCodeLabel } from "./labels.ts";

// The accepted 発生届 of the case as the notifications module returns it (API.md body).
export type CaseNotification = {
  id: string;
  revision: number;
  body: {
    diagnosisClass?: string | null;
    diagnosisDate?: string | null;
    onsetDate?: string | null;
    symptoms?: string[] | null;
    symptomsOther?: string | null;
    spo2RoomAir?: number | null;
    diagnosis?: {
      method?: string | null;
      specimen?: string | null;
      specimenDate?: string | null;
      result?: string | null;
    } | null;
    riskFactors?: string[] | null;
    severity?: string | null;
    hospitalizedAtNotification?: boolean | null;
    doctorName?: string | null;
  };
};

export function isCaseNotification(value: unknown): value is CaseNotification {
  return typeof value === "object" && value !== null && "revision" in value && "body" in value;
}

/**
 * 発生届: the notification as filed (latest revision), with a way to the full form. Symptoms,
 * methods and specimens are labelled from the disease's own lists (measles has 結膜充血).
 */
export function NotificationSummary({
  notification,
  lists,
}: {
  notification: CaseNotification;
  lists: CodeLists | undefined;
}) {
  const { t } = useTranslation("cases");
  const me = useMe();
  const codeLabel = useCodeLabel();
  const b = notification.body;
  const none = t("value.none");
  const list = (codes: string[] | null | undefined, source: Parameters<typeof codeLabel>[0]) =>
    codes?.length ? codes.map((c) => codeLabel(source, c)).join("、") : none;
  // The receiving center opens it where it reviews notifications, the filer where it revises them.
  const link = can(me, "review", "notification") ? (
    <Link to="/intake/$id" params={{ id: notification.id }} className="text-blue-1000 underline">
      {t("notification.open")}
    </Link>
  ) : can(me, "revise", "notification") ? (
    <Link to="/notifications/$id" params={{ id: notification.id }} className="text-blue-1000 underline">
      {t("notification.open")}
    </Link>
  ) : null;
  return (
    <div className="mt-8" data-testid="case-notification">
      <div className="mb-2 flex flex-wrap items-center justify-between gap-3">
        <h3 className="text-std-18B-160">{t("notification.title", { revision: notification.revision })}</h3>
        {link}
      </div>
      <Definitions
        items={[
          [t("field.diagnosisClass"), codeLabel(diagnosisClasses, b.diagnosisClass)],
          [t("field.diagnosisDate"), <DateText key="d" value={b.diagnosisDate} />],
          [t("field.onsetDate"), <DateText key="o" value={b.onsetDate} />],
          [
            t("field.symptoms"),
            list(b.symptoms, lists?.symptoms ?? symptoms) + (b.symptomsOther ? `（${b.symptomsOther}）` : ""),
          ],
          [t("field.spo2RoomAir"), b.spo2RoomAir ? `${b.spo2RoomAir}%` : none],
          [
            t("notification.method"),
            b.diagnosis?.method
              ? [
                  codeLabel(lists?.diagnosisMethods ?? diagnosisMethods, b.diagnosis.method),
                  b.diagnosis.specimen
                    ? codeLabel(lists?.specimens ?? specimens, b.diagnosis.specimen)
                    : null,
                  b.diagnosis.specimenDate,
                  b.diagnosis.result ? codeLabel(testResults, b.diagnosis.result) : null,
                ]
                  .filter(Boolean)
                  .join("・")
              : none,
          ],
          [t("notification.riskFactors"), list(b.riskFactors, riskFactors)],
          [t("field.severity"), codeLabel(severities, b.severity)],
          [t("notification.doctor"), b.doctorName ?? none],
        ]}
      />
    </div>
  );
}
