import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
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
import { DEFAULT_DISEASE_CODE } from "#domain/disease/index.ts";
import { formatPostalCode } from "#domain/kana.ts";
import type { Notification } from "#domain/notification.ts";
import { useMunicipalityName } from "../../app/reference.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { DateText } from "../../app/ui/DateText.tsx";
import { Loading } from "../../app/ui/Loading.tsx";
import { diseaseQueryOptions } from "./api.ts";
import { countryName, useFormName } from "./names.ts";

type Row = [labelKey: string, value: ReactNode];

/** The body of a notification as read-only sections, in the order of the official form. */
export function NotificationView({
  body,
  municipalityName,
}: {
  body: Notification;
  municipalityName?: string | null;
}) {
  const { t, i18n } = useTranslation("notifications");
  const lang = i18n.language === "en" ? "en" : "ja";
  // Symptoms, methods and specimens are the codes of the notification's own disease.
  const disease = useQuery(diseaseQueryOptions(body.diseaseCode ?? DEFAULT_DISEASE_CODE));
  // Earlier versions (修正届) come without the name the detail reply carries: look it up.
  const looked = useMunicipalityName(municipalityName ? null : body.patient.address?.municipalityCode);
  const formName = useFormName();
  if (disease.isPending) return <Loading />;
  if (disease.error) return <ErrorAlert error={disease.error} />;
  const lists = disease.data.codeLists;
  const code = (list: readonly CodeItem[], value: string | null | undefined) =>
    value ? label(list, value, lang) : null;
  const codes = (list: readonly CodeItem[], values: readonly string[] | null | undefined) =>
    values?.length ? values.map((v) => label(list, v, lang)).join("、") : null;
  const yesNo = (v: boolean | null | undefined) =>
    v === true ? t("field.yes") : v === false ? t("field.no") : null;
  const date = (v: string | null | undefined) => (v ? <DateText value={v} /> : null);
  const p = body.patient;
  const address = p.address
    ? `${code(prefectures, p.address.prefectureCode) ?? ""}${municipalityName ?? looked.data?.name ?? p.address.municipalityCode}${p.address.line ?? ""}`
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

  const sections: [string, Row[]][] = [
    [
      "section.class",
      [
        ["field.diseaseCode", disease.data.name[lang]],
        ["field.diagnosisClass", code(diagnosisClasses, body.diagnosisClass)],
        ["field.clinicalType", code(lists.clinicalTypes, body.clinicalType)],
        ["field.formVariant", formName(disease.data, body.formVariant)],
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
          "field.vaccinations",
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

  return (
    <div className="flex flex-col gap-4" data-testid="notification-view">
      {sections.map(([title, rows]) => {
        const filled = rows.filter(([, value]) => value !== null && value !== undefined && value !== "");
        if (filled.length === 0) return null;
        return (
          <section key={title} className="rounded-12 border border-solid-gray-420 p-4">
            <h3 className="mb-2 text-std-18B-160">{t(title)}</h3>
            <dl className="grid grid-cols-1 gap-x-6 gap-y-1 md:grid-cols-[14rem_1fr]">
              {filled.map(([key, value]) => (
                <div key={key} className="contents">
                  <dt className="text-std-16B-170 text-solid-gray-800">
                    {key.startsWith("field.") ? t(key) : key}
                  </dt>
                  <dd className="text-std-16N-170">{value}</dd>
                </div>
              ))}
            </dl>
          </section>
        );
      })}
    </div>
  );
}
