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
import { ageAtDiagnosis, type Notification } from "#domain/notification.ts";
import { countryName } from "./names.ts";

/** A shown value: text, a calendar date (shown in 和暦 and 西暦), or nothing. */
export type Cell = string | { date: string } | null | undefined;
/**
 * What the A4 print needs beyond the shown value. `paths` are the body paths (API.md) the row
 * shows: the print keeps the rows of the items the form in force asks for, filled or blank. A
 * row without them is about the notification (its disease, its form), printed in the title.
 * `options` are the choices the value is one of: the print lists them and circles the chosen.
 */
export type RowItem = {
  paths: string[];
  options?: {
    list: readonly CodeItem[];
    chosen: readonly (string | null | undefined)[];
    /** Written after the options (the prefecture or country of 感染地域). */
    detail?: string | null;
  };
  /** Printed across the sheet: long texts (addresses, tests, doses). */
  wide?: boolean;
  /** A calendar date: printed blank as 年 月 日 to be written in. */
  date?: boolean;
};
export type Row = [labelKey: string, value: Cell, item?: RowItem];
export type Section = [titleKey: string, rows: Row[]];

// The print circles 有 or 無; the codes are the print's own, never stored.
const yesNoOptions: readonly CodeItem[] = [
  { code: "yes", ja: "有", en: "Yes" },
  { code: "no", ja: "無", en: "No" },
];

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
  /** A row of one item, optionally chosen from a list. */
  const item = (
    path: string,
    list?: readonly CodeItem[],
    chosen?: (string | null | undefined)[],
  ): RowItem => ({
    paths: [path],
    ...(list ? { options: { list, chosen: chosen ?? [] } } : {}),
  });
  const one = (path: string, list: readonly CodeItem[], value: string | null | undefined): Row => [
    `field.${path}`,
    code(list, value),
    item(path, list, [value]),
  ];
  const yesNoRow = (path: string, v: boolean | null | undefined): Row => [
    `field.${path}`,
    yesNo(v),
    item(path, yesNoOptions, [v === true ? "yes" : v === false ? "no" : null]),
  ];
  const dateRow = (path: string, v: string | null | undefined): Row => [
    `field.${path}`,
    date(v),
    { ...item(path), date: true },
  ];
  const text = (path: string, v: string | null | undefined): Row => [`field.${path}`, v, item(path)];
  const p = body.patient;
  const address = p.address
    ? `${code(prefectures, p.address.prefectureCode) ?? ""}${p.address.municipalityCode ? c.municipalityName(p.address.municipalityCode) : ""}${p.address.line ?? ""}`
    : null;
  const age = ageAtDiagnosis(p.birthDate, body.diagnosisDate);
  const diagnosisText = (d: NonNullable<Notification["diagnosis"]>) =>
    [
      code(lists.diagnosisMethods, d.method),
      code(lists.specimens, d.specimen),
      d.specimenOther,
      code(testResults, d.result),
    ]
      .filter(Boolean)
      .join(" / ");
  const d = body.diagnosis;
  const region = body.infection?.region;
  const regionDetail =
    [
      code(prefectures, body.infection?.prefectureCode),
      // 日本国内 already says the country.
      body.infection?.country && !(region === "domestic" && body.infection.country === "JP")
        ? countryName(body.infection.country, lang)
        : null,
    ]
      .filter(Boolean)
      .join(" ") || null;

  return [
    [
      "section.class",
      [
        ["field.diseaseCode", c.diseaseName],
        one(
          "diagnosisClass",
          diagnosisClasses.filter((k) => lists.diagnosisClasses.includes(k.code)),
          body.diagnosisClass,
        ),
        one("clinicalType", lists.clinicalTypes, body.clinicalType),
        [
          "field.formVariant",
          body.formVariant ? (c.formName?.(body.formVariant) ?? t(`variant.${body.formVariant}`)) : null,
        ],
      ],
    ],
    [
      "section.patient",
      [
        text("patient.nameKanji", p.nameKanji),
        text("patient.nameKana", p.nameKana),
        one("patient.sex", sexes, p.sex),
        dateRow("patient.birthDate", p.birthDate),
        [
          "field.age",
          age
            ? age.years === 0
              ? t("field.ageMonths", { months: age.months })
              : t("field.ageYears", { years: age.years })
            : null,
          item("patient.birthDate"),
        ],
        text("occupation", body.occupation),
      ],
    ],
    [
      "section.address",
      [
        [
          "field.patient.postalCode",
          p.postalCode ? `〒${formatPostalCode(p.postalCode)}` : null,
          item("patient.postalCode"),
        ],
        ["field.address", address, { paths: ["patient.address"], wide: true }],
        text("patient.phone", p.phone),
        text("patient.email", p.email),
        [
          "field.currentLocation.address",
          body.currentLocation?.address,
          { ...item("currentLocation.address"), wide: true },
        ],
        text("currentLocation.phone", body.currentLocation?.phone),
        text("guardian.name", body.guardian?.name),
        text("guardian.phone", body.guardian?.phone),
        ["field.guardian.address", body.guardian?.address, { ...item("guardian.address"), wide: true }],
      ],
    ],
    [
      "section.symptoms",
      [
        [
          "field.symptoms",
          codes(lists.symptoms, body.symptoms),
          item("symptoms", lists.symptoms, body.symptoms ?? []),
        ],
        text("symptomsOther", body.symptomsOther),
        ["field.spo2RoomAir", body.spo2RoomAir != null ? `${body.spo2RoomAir}%` : null, item("spo2RoomAir")],
      ],
    ],
    [
      "section.diagnosis",
      [
        one("diagnosis.method", lists.diagnosisMethods, d?.method),
        [
          "field.diagnosis.specimen",
          [code(lists.specimens, d?.specimen), d?.specimenOther].filter(Boolean).join(" ") || null,
          { paths: ["diagnosis.specimen", "diagnosis.specimenOther"] },
        ],
        dateRow("diagnosis.specimenDate", d?.specimenDate),
        one(
          "diagnosis.result",
          testResults.filter((r) => r.code !== "pending" || d?.result === "pending"),
          d?.result,
        ),
        ...(body.additionalDiagnoses ?? []).map(
          (a, i): Row => [
            t("field.additionalDiagnosis", { n: i + 2 }),
            diagnosisText(a),
            { paths: ["additionalDiagnoses"], wide: true },
          ],
        ),
      ],
    ],
    [
      "section.dates",
      [
        dateRow("firstVisitDate", body.firstVisitDate),
        dateRow("diagnosisDate", body.diagnosisDate),
        dateRow("estimatedInfectionDate", body.estimatedInfectionDate),
        dateRow("onsetDate", body.onsetDate),
        dateRow("deathDate", body.deathDate),
      ],
    ],
    [
      "section.infection",
      [
        one("infection.mode", infectionModes, body.infection?.mode),
        one("infection.certainty", infectionCertainties, body.infection?.certainty),
        ["field.infection.detail", body.infection?.detail, { ...item("infection.detail"), wide: true }],
        one("infection.route", infectionRoutes, body.infection?.route),
        yesNoRow("infection.linkKnown", body.infection?.linkKnown),
        [
          "field.infection.region",
          [code(infectionRegions, region), regionDetail].filter(Boolean).join(" ") || null,
          {
            paths: ["infection.region", "infection.prefectureCode", "infection.country"],
            options: { list: infectionRegions, chosen: [region], detail: regionDetail },
            wide: true,
          },
        ],
        dateRow("travel.departureDate", body.travel?.departureDate),
        dateRow("travel.entryDate", body.travel?.entryDate),
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
          { paths: ["vaccinations"], wide: true },
        ],
      ],
    ],
    [
      "section.other",
      [
        yesNoRow("hospitalizedAtNotification", body.hospitalizedAtNotification),
        dateRow("admissionDate", body.admissionDate),
        [
          "field.riskFactors",
          body.riskFactors ? codes(riskFactors, body.riskFactors) || t("field.none") : null,
          item("riskFactors", riskFactors, body.riskFactors ?? []),
        ],
        text("riskFactorsOther", body.riskFactorsOther),
        yesNoRow("immunocompromised", body.immunocompromised),
        yesNoRow("pregnant", body.pregnant),
        one("severity", severities, body.severity),
        yesNoRow("admissionNeeded", body.admissionNeeded),
        yesNoRow("therapeuticNeeded", body.therapeuticNeeded),
        yesNoRow("oxygenNeeded", body.oxygenNeeded),
        yesNoRow("telemedicine", body.telemedicine),
        text("doctorName", body.doctorName),
        ["field.note", body.note, { ...item("note"), wide: true }],
      ],
    ],
  ];
}

const same = (a: Cell, b: Cell) => JSON.stringify(a || null) === JSON.stringify(b || null);

export type RowChange = { labelKey: string; before: Cell; after: Cell };

/** The items whose shown value differs between two versions, in the order of the form. */
export function changedRows(before: Section[], after: Section[]): RowChange[] {
  const flat = (sections: Section[]) =>
    new Map(sections.flatMap(([, rows]) => rows.map(([key, value]) => [key, value] as const)));
  const old = flat(before);
  const now = flat(after);
  const keys = [...new Set([...now.keys(), ...old.keys()])];
  return keys
    .filter((key) => !same(old.get(key), now.get(key)))
    .map((key) => ({ labelKey: key, before: old.get(key) ?? null, after: now.get(key) ?? null }));
}
