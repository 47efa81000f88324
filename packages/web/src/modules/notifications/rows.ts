import {
  type CodeItem,
  diagnosisClasses,
  infectionCertainties,
  infectionModes,
  infectionRegions,
  infectionRoutes,
  label,
  prefectures,
  riskFactors,
  severities,
  sexes,
  testResults,
  vaccinationStatuses,
} from "#domain/codes.ts";
import type { CodeLists } from "#domain/disease/types.ts";
import { formatPostalCode } from "#domain/kana.ts";
import type { Notification } from "#domain/notification.ts";
import { countryName } from "./names.ts";

/** A shown value: text, a calendar date (shown in 和暦 and 西暦), or nothing. */
export type Cell = string | { date: string } | null | undefined;
export type Row = [labelKey: string, value: Cell];
export type Section = [titleKey: string, rows: Row[]];

export type RowContext = {
  t: (key: string, options?: Record<string, unknown>) => string;
  lang: "ja" | "en";
  /** The code lists of the notification's disease. */
  lists: CodeLists;
  diseaseName: string;
  /** The vaccination item as the disease names its vaccine (form-model.ts vaccinationLabel). */
  vaccinationLabel?: string;
  /** The name of the form a variant stands for (names.ts useFormName). */
  formName?: (variant: string) => string | null;
  municipalityName: (code: string) => string;
};

/**
 * The items of a notification as the reader sees them, in the order of the official form:
 * codes as their labels, the municipality by name. The detail view shows these, and the
 * changes between two versions are told in the same words.
 */
export function notificationSections(body: Notification, c: RowContext): Section[] {
  const { t, lang, lists } = c;
  const code = (list: readonly CodeItem[], value: string | null | undefined) =>
    value ? label(list, value, lang) : null;
  const codes = (list: readonly CodeItem[], values: readonly string[] | null | undefined) =>
    values?.length ? values.map((v) => label(list, v, lang)).join("、") : null;
  const yesNo = (v: boolean | null | undefined) =>
    v === true ? t("field.yes") : v === false ? t("field.no") : null;
  const date = (v: string | null | undefined): Cell => (v ? { date: v } : null);
  const p = body.patient;
  const address = p.address
    ? `${code(prefectures, p.address.prefectureCode) ?? ""}${p.address.municipalityCode ? c.municipalityName(p.address.municipalityCode) : ""}${p.address.line ?? ""}`
    : null;
  const diagnosisText = (d: NonNullable<Notification["diagnosis"]>) =>
    [
      code(lists.diagnosisMethods, d.method),
      code(lists.specimens, d.specimen),
      d.specimenOther,
      code(testResults, d.result),
    ]
      .filter(Boolean)
      .join(" / ");

  return [
    [
      "section.class",
      [
        ["field.diseaseCode", c.diseaseName],
        ["field.diagnosisClass", code(diagnosisClasses, body.diagnosisClass)],
        ["field.clinicalType", code(lists.clinicalTypes, body.clinicalType)],
        [
          "field.formVariant",
          body.formVariant ? (c.formName?.(body.formVariant) ?? t(`variant.${body.formVariant}`)) : null,
        ],
      ],
    ],
    [
      "section.patient",
      [
        ["field.patient.nameKanji", p.nameKanji],
        ["field.patient.nameKana", p.nameKana],
        ["field.patient.sex", code(sexes, p.sex)],
        ["field.patient.birthDate", date(p.birthDate)],
        ["field.occupation", body.occupation],
      ],
    ],
    [
      "section.address",
      [
        ["field.patient.postalCode", p.postalCode ? `〒${formatPostalCode(p.postalCode)}` : null],
        ["field.address", address],
        ["field.patient.phone", p.phone],
        ["field.patient.email", p.email],
        ["field.currentLocation.address", body.currentLocation?.address],
        ["field.currentLocation.phone", body.currentLocation?.phone],
        ["field.guardian.name", body.guardian?.name],
        ["field.guardian.phone", body.guardian?.phone],
        ["field.guardian.address", body.guardian?.address],
      ],
    ],
    [
      "section.symptoms",
      [
        ["field.symptoms", codes(lists.symptoms, body.symptoms)],
        ["field.symptomsOther", body.symptomsOther],
        ["field.spo2RoomAir", body.spo2RoomAir != null ? `${body.spo2RoomAir}%` : null],
      ],
    ],
    [
      "section.diagnosis",
      [
        ["field.diagnosis.method", body.diagnosis ? diagnosisText(body.diagnosis) || null : null],
        ["field.diagnosis.specimenDate", date(body.diagnosis?.specimenDate)],
        ...(body.additionalDiagnoses ?? []).map(
          (d, i): Row => [t("field.additionalDiagnosis", { n: i + 2 }), diagnosisText(d)],
        ),
      ],
    ],
    [
      "section.dates",
      [
        ["field.firstVisitDate", date(body.firstVisitDate)],
        ["field.diagnosisDate", date(body.diagnosisDate)],
        ["field.estimatedInfectionDate", date(body.estimatedInfectionDate)],
        ["field.onsetDate", date(body.onsetDate)],
        ["field.deathDate", date(body.deathDate)],
      ],
    ],
    [
      "section.infection",
      [
        ["field.infection.mode", code(infectionModes, body.infection?.mode)],
        ["field.infection.certainty", code(infectionCertainties, body.infection?.certainty)],
        ["field.infection.detail", body.infection?.detail],
        ["field.infection.route", code(infectionRoutes, body.infection?.route)],
        ["field.infection.linkKnown", yesNo(body.infection?.linkKnown)],
        [
          "field.infection.region",
          [
            code(infectionRegions, body.infection?.region),
            code(prefectures, body.infection?.prefectureCode),
            // 日本国内 already says the country.
            body.infection?.country &&
            !(body.infection.region === "domestic" && body.infection.country === "JP")
              ? countryName(body.infection.country, lang)
              : null,
          ]
            .filter(Boolean)
            .join(" ") || null,
        ],
        ["field.travel.departureDate", date(body.travel?.departureDate)],
        ["field.travel.entryDate", date(body.travel?.entryDate)],
        [
          c.vaccinationLabel ?? "field.vaccinations",
          body.vaccinations?.length
            ? body.vaccinations
                .map(
                  (v) =>
                    `${t("field.doseN", { dose: v.dose })}: ${label(vaccinationStatuses, v.status, lang)}${v.date ? ` ${v.date}` : ""}${v.product ? ` ${v.product}` : ""}`,
                )
                .join(" / ")
            : null,
        ],
      ],
    ],
    [
      "section.other",
      [
        ["field.hospitalizedAtNotification", yesNo(body.hospitalizedAtNotification)],
        ["field.admissionDate", date(body.admissionDate)],
        [
          "field.riskFactors",
          body.riskFactors ? codes(riskFactors, body.riskFactors) || t("field.none") : null,
        ],
        ["field.riskFactorsOther", body.riskFactorsOther],
        ["field.immunocompromised", yesNo(body.immunocompromised)],
        ["field.pregnant", yesNo(body.pregnant)],
        ["field.severity", code(severities, body.severity)],
        ["field.admissionNeeded", yesNo(body.admissionNeeded)],
        ["field.therapeuticNeeded", yesNo(body.therapeuticNeeded)],
        ["field.oxygenNeeded", yesNo(body.oxygenNeeded)],
        ["field.telemedicine", yesNo(body.telemedicine)],
        ["field.doctorName", body.doctorName],
        ["field.note", body.note],
      ],
    ],
  ];
}

const same = (a: Cell, b: Cell) => JSON.stringify(a || null) === JSON.stringify(b || null);

export type RowChange = { labelKey: string; before: Cell; after: Cell };

/** The items whose shown value differs between two versions, in the order of the form. */
export function changedRows(before: Section[], after: Section[]): RowChange[] {
  const flat = (sections: Section[]) => new Map(sections.flatMap(([, rows]) => rows));
  const old = flat(before);
  const now = flat(after);
  const keys = [...new Set([...now.keys(), ...old.keys()])];
  return keys
    .filter((key) => !same(old.get(key), now.get(key)))
    .map((key) => ({ labelKey: key, before: old.get(key) ?? null, after: now.get(key) ?? null }));
}
