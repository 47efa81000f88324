import { useState } from "react";
import { useTranslation } from "react-i18next";
import { prefectures, sexes } from "#domain/codes.ts";
import { formatPostalCode } from "#domain/kana.ts";
import { MunicipalitySelect } from "../../app/MunicipalitySelect.tsx";
import { useMunicipalityName } from "../../app/reference.ts";
import { Button } from "../../app/ui/Button.tsx";
import { DateInput } from "../../app/ui/DateInput.tsx";
import { DateText } from "../../app/ui/DateText.tsx";
import { Select } from "../../app/ui/Select.tsx";
import { TextField } from "../../app/ui/TextField.tsx";
import type { Access, BasicSection as Basic } from "./api.ts";
import { Definitions } from "./Definitions.tsx";
import { HealthCentersPanel } from "./HealthCentersPanel.tsx";
import { HouseholdPanel } from "./HouseholdPanel.tsx";
import { useCodeLabel, useCodeOptions } from "./labels.ts";
import { changedFields, SectionForm, SectionHeading } from "./SectionFrame.tsx";
import { TriState, useTriStateText } from "./TriState.tsx";

type Draft = {
  nameKanji: string;
  nameKana: string;
  birthDate: string | null;
  sex: string;
  phone: string;
  email: string;
  postalCode: string;
  address: { prefectureCode: string | null; municipalityCode: string | null; line: string | null };
  occupation: string;
  welfareLiaisonNeeded: boolean | null;
  householdHasHighRisk: boolean | null;
};

function draftOf(b: Basic): Draft {
  return {
    nameKanji: b.nameKanji ?? "",
    nameKana: b.nameKana ?? "",
    birthDate: b.birthDate,
    sex: b.sex,
    phone: b.phone ?? "",
    email: b.email ?? "",
    postalCode: b.postalCode ?? "",
    // A record holding only a municipality code still knows its prefecture (JIS X 0402), so the
    // municipality picker opens on the right list.
    address: {
      ...b.address,
      prefectureCode: b.address.prefectureCode ?? b.address.municipalityCode?.slice(0, 2) ?? null,
    },
    occupation: b.occupation ?? "",
    welfareLiaisonNeeded: b.welfareLiaisonNeeded,
    householdHasHighRisk: b.householdHasHighRisk,
  };
}

/** Empty text fields are sent as null (the server stores "no value"). */
function toBody(changes: Partial<Draft>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v === "" ? null : v]));
}

/** 基本情報: the person, this case's risk flags, health centers and household. */
export function BasicSection({
  caseId,
  basic,
  access,
  canManageCenters,
}: {
  caseId: string;
  basic: Basic;
  access: Access;
  canManageCenters: boolean;
}) {
  const { t } = useTranslation("cases");
  const [editing, setEditing] = useState(false);
  return (
    <section aria-labelledby="basic-heading" data-testid="section-basic">
      <SectionHeading
        title={t("section.basic")}
        access={access}
        actions={
          access === "write" && !editing ? (
            <Button size="sm" variant="secondary" onClick={() => setEditing(true)} data-testid="basic-edit">
              {t("form.edit")}
            </Button>
          ) : null
        }
      />
      {editing ? (
        <BasicForm caseId={caseId} basic={basic} onDone={() => setEditing(false)} />
      ) : (
        <BasicView basic={basic} />
      )}
      <div className="mt-8 grid grid-cols-1 gap-8 xl:grid-cols-2">
        <HealthCentersPanel caseId={caseId} basic={basic} editable={canManageCenters} />
        <HouseholdPanel caseId={caseId} basic={basic} editable={access === "write"} />
      </div>
    </section>
  );
}

function BasicView({ basic }: { basic: Basic }) {
  const { t } = useTranslation("cases");
  const codeLabel = useCodeLabel();
  const tri = useTriStateText();
  const municipality = useMunicipalityName(basic.address.municipalityCode);
  const address = [
    basic.address.prefectureCode ? codeLabel(prefectures, basic.address.prefectureCode) : null,
    // Never the bare code while the name loads (a slow network showed 「132012」); the code only
    // if the name cannot be had at all.
    municipality.isLoading ? "…" : (municipality.data?.name ?? basic.address.municipalityCode),
    basic.address.line,
  ]
    .filter(Boolean)
    .join(" ");
  const none = t("value.none");
  return (
    <Definitions
      testId="basic-view"
      items={[
        [t("field.nameKanji"), basic.nameKanji || none],
        [t("field.nameKana"), basic.nameKana || none],
        [t("field.birthDate"), <DateText key="b" value={basic.birthDate} />],
        [t("field.sex"), codeLabel(sexes, basic.sex)],
        [t("field.phone"), basic.phone ?? none],
        [t("field.email"), basic.email ?? none],
        [t("field.postalCode"), basic.postalCode ? `〒${formatPostalCode(basic.postalCode)}` : none],
        [t("group.address"), address || none],
        [t("field.occupation"), basic.occupation ?? none],
        [
          t("field.welfareLiaisonNeeded"),
          tri(basic.welfareLiaisonNeeded, t("value.needed"), t("value.notNeeded")),
        ],
        [
          t("field.householdHasHighRisk"),
          tri(basic.householdHasHighRisk, t("value.present"), t("value.absent")),
        ],
      ]}
    />
  );
}

function BasicForm({ caseId, basic, onDone }: { caseId: string; basic: Basic; onDone: () => void }) {
  const { t } = useTranslation("cases");
  const options = useCodeOptions();
  const [saved] = useState(() => draftOf(basic));
  const [draft, setDraft] = useState<Draft>(saved);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const setAddress = (key: keyof Draft["address"], value: string) =>
    setDraft((d) => ({ ...d, address: { ...d.address, [key]: value === "" ? null : value } }));
  return (
    <SectionForm
      caseId={caseId}
      section="basic"
      version={basic.version}
      changes={() => toBody(changedFields(saved, draft))}
      onDone={onDone}
      testId="basic-form"
    >
      {(errors) => (
        <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
          <TextField
            label={t("field.nameKanji")}
            value={draft.nameKanji}
            onChange={(e) => set("nameKanji", e.currentTarget.value)}
            error={errors.nameKanji}
            autoComplete="off"
          />
          <TextField
            label={t("field.nameKana")}
            hint={t("form.kanaHint")}
            required
            value={draft.nameKana}
            onChange={(e) => set("nameKana", e.currentTarget.value)}
            error={errors.nameKana}
            autoComplete="off"
          />
          <DateInput
            label={t("field.birthDate")}
            value={draft.birthDate}
            onChange={(v) => set("birthDate", v)}
            error={errors.birthDate}
          />
          <Select
            label={t("field.sex")}
            value={draft.sex}
            options={options(sexes)}
            onChange={(e) => set("sex", e.currentTarget.value)}
            error={errors.sex}
          />
          <TextField
            label={t("field.phone")}
            type="tel"
            value={draft.phone}
            onChange={(e) => set("phone", e.currentTarget.value)}
            error={errors.phone}
            data-testid="basic-phone"
          />
          <TextField
            label={t("field.email")}
            type="email"
            value={draft.email}
            onChange={(e) => set("email", e.currentTarget.value)}
            error={errors.email}
          />
          <TextField
            label={t("field.postalCode")}
            inputMode="numeric"
            value={draft.postalCode}
            onChange={(e) => set("postalCode", e.currentTarget.value)}
            error={errors.postalCode}
          />
          <Select
            label={t("field.address.prefectureCode")}
            value={draft.address.prefectureCode ?? ""}
            placeholder={t("form.choose")}
            options={options(prefectures)}
            onChange={(e) => {
              // Another prefecture's municipality list: the old choice no longer applies.
              setAddress("prefectureCode", e.currentTarget.value);
              setAddress("municipalityCode", "");
            }}
            error={errors["address.prefectureCode"]}
            data-testid="basic-prefecture"
          />
          <MunicipalitySelect
            label={t("field.address.municipalityCode")}
            prefectureCode={draft.address.prefectureCode}
            value={draft.address.municipalityCode}
            onChange={(code) => setAddress("municipalityCode", code)}
            error={errors["address.municipalityCode"]}
            testId="basic-municipality"
          />
          <TextField
            label={t("field.address.line")}
            value={draft.address.line ?? ""}
            onChange={(e) => setAddress("line", e.currentTarget.value)}
            error={errors["address.line"]}
            data-testid="basic-address-line"
          />
          <TextField
            label={t("field.occupation")}
            value={draft.occupation}
            onChange={(e) => set("occupation", e.currentTarget.value)}
            error={errors.occupation}
          />
          <div />
          <TriState
            label={t("field.welfareLiaisonNeeded")}
            value={draft.welfareLiaisonNeeded}
            onChange={(v) => set("welfareLiaisonNeeded", v)}
            yes={t("value.needed")}
            no={t("value.notNeeded")}
            error={errors.welfareLiaisonNeeded}
            testId="basic-welfare"
          />
          <TriState
            label={t("field.householdHasHighRisk")}
            value={draft.householdHasHighRisk}
            onChange={(v) => set("householdHasHighRisk", v)}
            yes={t("value.present")}
            no={t("value.absent")}
            error={errors.householdHasHighRisk}
            testId="basic-household-risk"
          />
        </div>
      )}
    </SectionForm>
  );
}
