import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  alertRules,
  alertStates,
  type CodeItem,
  caseStatuses,
  contactRelationships,
  diagnosisClasses,
  diagnosisMethods,
  infectionCertainties,
  infectionRoutes,
  placeKinds,
  prefectures,
  severities,
  sexes,
  specimens,
  symptoms,
  testResults,
  underlyingConditions,
} from "#domain/codes.ts";
import { historyIdKeys } from "#domain/history.ts";
import { formatTime, isoDate, tokyoDateTime } from "../../app/format.ts";
import { jurisdictionsQueryOptions, useMunicipalityNames } from "../../app/reference.ts";
import { useFormatDate } from "../../app/ui/DateText.tsx";
import { useCodeLabel } from "./labels.ts";

// Fields whose values are codes, shown by their labels.
const codeLists: Record<string, readonly CodeItem[]> = {
  status: caseStatuses,
  diagnosisClass: diagnosisClasses,
  sex: sexes,
  severity: severities,
  symptoms,
  underlyingConditions,
  method: diagnosisMethods,
  specimen: specimens,
  result: testResults,
  "address.prefectureCode": prefectures,
  relationship: contactRelationships,
  placeKind: placeKinds,
  route: infectionRoutes,
  certainty: infectionCertainties,
  // An acknowledged health alert (the only history entry with these keys).
  rule: alertRules,
  state: alertStates,
};

// Yes/no fields answered in the words of their question.
const booleanWords: Record<string, [yes: string, no: string]> = {
  welfareLiaisonNeeded: ["value.needed", "value.notNeeded"],
  householdHasHighRisk: ["value.present", "value.absent"],
  immunocompromised: ["value.present", "value.absent"],
  pregnant: ["value.present", "value.absent"],
  "icu.used": ["value.used", "value.notUsed"],
  "ventilator.used": ["value.used", "value.notUsed"],
  "ecmo.used": ["value.used", "value.notUsed"],
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

// Identifiers explain nothing to a reader (health centers are shown by name instead).
const isHidden = (key: string) => historyIdKeys.test(key) && !/HealthCenterIds?$/.test(key);

/** Readable text of one changed value. */
export function useChangeValue(): (key: string, value: unknown) => string {
  const { t } = useTranslation("cases");
  const codeLabel = useCodeLabel();
  const formatDate = useFormatDate();
  const centers = useQuery(jurisdictionsQueryOptions).data?.healthCenters ?? [];
  const municipalityName = useMunicipalityNames();
  const format = (key: string, value: unknown): string => {
    if (value === null || value === undefined || value === "") return t("value.none");
    if (key.endsWith("municipalityCode") && typeof value === "string") return municipalityName(value);
    if (key.endsWith("HealthCenterId") || key.endsWith("HealthCenterIds")) {
      const ids = Array.isArray(value) ? value : [value];
      if (ids.length === 0) return t("value.none");
      return ids.map((id) => centers.find((c) => c.id === id)?.name ?? String(id)).join("、");
    }
    const list = codeLists[key];
    if (Array.isArray(value))
      return value.length === 0 ? t("value.none") : value.map((v) => format(key, v)).join("、");
    if (list && typeof value === "string") return codeLabel(list, value);
    if (typeof value === "boolean") {
      const [yes, no] = booleanWords[key] ?? ["value.yes", "value.no"];
      return t(value ? yes : no);
    }
    if (typeof value === "string" && ISO_DATE.test(value)) return formatDate(value);
    if (typeof value === "string" && ISO_INSTANT.test(value)) {
      const local = tokyoDateTime(value);
      return local ? `${formatDate(isoDate(local))} ${formatTime(local)}` : value;
    }
    if (typeof value === "object") {
      const named = value as { name?: string };
      return named.name ?? JSON.stringify(value);
    }
    return String(value);
  };
  return format;
}

/** The fields a change touched: label, value before and value after. */
export function ChangeList({
  before,
  after,
}: {
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}) {
  const { t } = useTranslation("cases");
  const format = useChangeValue();
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].filter(
    (k) => !isHidden(k),
  );
  if (keys.length === 0) return null;
  return (
    <table className="w-full table-fixed border-collapse text-left text-dns-14N-130">
      <colgroup>
        <col className="w-48" />
        <col className="w-2/5" />
        <col />
      </colgroup>
      <thead className="sr-only">
        <tr>
          <th scope="col">{t("history.field")}</th>
          <th scope="col">{t("history.before")}</th>
          <th scope="col">{t("history.after")}</th>
        </tr>
      </thead>
      <tbody>
        {keys.map((key) => {
          // A value on both sides and unchanged names what was changed (which alert): no arrow.
          const unchanged =
            before && after && key in before && JSON.stringify(before[key]) === JSON.stringify(after[key]);
          return (
            <tr key={key} className="align-top">
              <th scope="row" className="py-0.5 pr-3 font-bold text-solid-gray-800">
                {t(`field.${key}`, { defaultValue: key })}
              </th>
              {unchanged ? (
                <td colSpan={2} className="py-0.5">
                  {format(key, after[key])}
                </td>
              ) : (
                <>
                  <td className="py-0.5 pr-2 text-solid-gray-700">
                    {before ? (
                      <del className="decoration-solid-gray-420">{format(key, before[key])}</del>
                    ) : null}
                  </td>
                  <td className="py-0.5">
                    {before ? <span aria-hidden="true">→ </span> : null}
                    <ins className="no-underline">{after ? format(key, after[key]) : t("value.deleted")}</ins>
                  </td>
                </>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
