import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { jurisdictionsQueryOptions } from "../../app/reference.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { CheckboxGroup } from "../../app/ui/CheckboxGroup.tsx";
import { Select } from "../../app/ui/Select.tsx";
import { type BasicSection, casesApi } from "./api.ts";
import { useRecordUpdate } from "./SectionFrame.tsx";

/** 担当保健所・関係保健所: shown to all readers, changed by a health center. */
export function HealthCentersPanel({
  caseId,
  basic,
  editable,
}: {
  caseId: string;
  basic: BasicSection;
  editable: boolean;
}) {
  const { t } = useTranslation("cases");
  const [editing, setEditing] = useState(false);
  return (
    <div data-testid="health-centers">
      <div className="mb-2 flex items-center justify-between gap-3">
        <h3 className="text-std-18B-160">{t("centers.title")}</h3>
        {editable && !editing ? (
          <Button size="sm" variant="tertiary" onClick={() => setEditing(true)}>
            {t("form.edit")}
          </Button>
        ) : null}
      </div>
      {editing ? (
        <CentersForm caseId={caseId} basic={basic} onDone={() => setEditing(false)} />
      ) : (
        <dl className="grid grid-cols-[8rem_1fr] gap-y-2 text-std-16N-170">
          <dt className="font-bold text-solid-gray-700">{t("centers.responsible")}</dt>
          <dd>{basic.responsibleHealthCenter.name}</dd>
          <dt className="font-bold text-solid-gray-700">{t("centers.related")}</dt>
          <dd>
            {basic.relatedHealthCenters.length > 0
              ? basic.relatedHealthCenters.map((h) => h.name).join("、")
              : t("value.none")}
          </dd>
        </dl>
      )}
    </div>
  );
}

function CentersForm({ caseId, basic, onDone }: { caseId: string; basic: BasicSection; onDone: () => void }) {
  const { t } = useTranslation("cases");
  const jurisdictions = useQuery(jurisdictionsQueryOptions);
  const updated = useRecordUpdate(caseId);
  const [responsible, setResponsible] = useState(basic.responsibleHealthCenter.id);
  const [related, setRelated] = useState(basic.relatedHealthCenters.map((h) => h.id));
  const save = useMutation({
    mutationFn: () =>
      casesApi.setHealthCenters(caseId, {
        responsibleHealthCenterId: responsible,
        relatedHealthCenterIds: related.filter((id) => id !== responsible),
      }),
    onSuccess: (record) => {
      updated(record);
      onDone();
    },
  });
  const centers = jurisdictions.data?.healthCenters ?? [];
  const prefectureOf = centers.find((c) => c.id === basic.responsibleHealthCenter.id)?.prefectureCode;
  return (
    <div className="flex flex-col gap-4">
      <ErrorAlert error={save.error} />
      <Select
        label={t("centers.responsible")}
        hint={t("centers.responsibleHint")}
        value={responsible}
        onChange={(e) => setResponsible(e.currentTarget.value)}
        options={centers
          .filter((c) => c.prefectureCode === prefectureOf)
          .map((c) => ({ value: c.id, label: c.name }))}
      />
      <CheckboxGroup
        legend={t("centers.related")}
        value={related}
        onChange={setRelated}
        options={centers.filter((c) => c.id !== responsible).map((c) => ({ value: c.id, label: c.name }))}
      />
      <div className="flex gap-3">
        <Button size="sm" busy={save.isPending} onClick={() => save.mutate()}>
          {t("form.save")}
        </Button>
        <Button size="sm" variant="secondary" onClick={onDone}>
          {t("form.cancel")}
        </Button>
      </div>
    </div>
  );
}
