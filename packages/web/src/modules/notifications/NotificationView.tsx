import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { DEFAULT_DISEASE_CODE } from "#domain/disease/index.ts";
import type { Notification } from "#domain/notification.ts";
import { useMunicipalityName } from "../../app/reference.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { DateText } from "../../app/ui/DateText.tsx";
import { Loading } from "../../app/ui/Loading.tsx";
import { diseaseQueryOptions } from "./api.ts";
import { vaccinationLabel } from "./form-model.ts";
import { useFormName } from "./names.ts";
import { type Cell, notificationSections } from "./rows.ts";

export function CellText({ value }: { value: Cell }) {
  if (value && typeof value === "object") return <DateText value={value.date} />;
  return <>{value}</>;
}

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
  const sections = notificationSections(body, {
    t,
    lang,
    lists: disease.data.codeLists,
    diseaseName: disease.data.name[lang],
    vaccinationLabel: vaccinationLabel(t, disease.data, lang),
    formName: (variant) => formName(disease.data, variant),
    municipalityName: (code) => municipalityName ?? looked.data?.name ?? code,
  });

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
                  <dd className="text-std-16N-170">
                    <CellText value={value} />
                  </dd>
                </div>
              ))}
            </dl>
          </section>
        );
      })}
    </div>
  );
}
