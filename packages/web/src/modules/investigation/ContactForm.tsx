import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ContactRelationship, contactRelationships, type Sex, sexes } from "#domain/codes.ts";
import { isKana, normalizePostalCode, toKatakana } from "#domain/kana.ts";
import { api, fieldErrors } from "../../app/api.ts";
import { tokyoToday } from "../../app/format.ts";
import { MunicipalitySelect } from "../../app/MunicipalitySelect.tsx";
import { jurisdictionsQueryOptions } from "../../app/reference.ts";
import { Alert, ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { DateInput } from "../../app/ui/DateInput.tsx";
import { useFormatDate } from "../../app/ui/DateText.tsx";
import { bindFields, useDraft } from "../../app/ui/form.ts";
import { Select } from "../../app/ui/Select.tsx";
import { TextField } from "../../app/ui/TextField.tsx";
import { type ContactCreated, investigationApi, investigationKeys } from "./api.ts";

type Draft = {
  nameKanji: string;
  nameKana: string;
  birthDate: string | null;
  sex: Sex | "";
  phone: string;
  relationship: ContactRelationship | "";
  lastContactDate: string | null;
  postalCode: string;
  prefectureCode: string;
  municipalityCode: string;
  line: string;
  note: string;
};

const empty = (): Draft => ({
  nameKanji: "",
  nameKana: "",
  birthDate: null,
  sex: "",
  phone: "",
  relationship: "",
  lastContactDate: tokyoToday(),
  postalCode: "",
  prefectureCode: "",
  municipalityCode: "",
  line: "",
  note: "",
});

/** The body as API.md names it; empty optional fields are left out. */
function bodyOf(d: Draft) {
  return {
    nameKanji: d.nameKanji || null,
    nameKana: d.nameKana,
    birthDate: d.birthDate,
    ...(d.sex ? { sex: d.sex } : {}),
    phone: d.phone || null,
    postalCode: d.postalCode || null,
    relationship: d.relationship as ContactRelationship,
    lastContactDate: d.lastContactDate ?? "",
    address: d.municipalityCode
      ? { prefectureCode: d.prefectureCode, municipalityCode: d.municipalityCode, line: d.line || null }
      : null,
    note: d.note || null,
  };
}

/**
 * 接触者の入力: the contact becomes a person (matched when already known) with a case under
 * observation, owned by this case's health center.
 */
export type IndexAddress = {
  postalCode: string | null;
  prefectureCode: string | null;
  municipalityCode: string | null;
  line: string | null;
} | null;

type PostalHit = { prefectureCode: string; municipalityCode: string; town: string };

export function ContactForm({
  caseId,
  onClose,
  indexAddress = null,
}: {
  caseId: string;
  onClose: () => void;
  /** The index case's address, for "same address" (household contacts mostly live there). */
  indexAddress?: IndexAddress;
}) {
  const { t } = useTranslation("investigation");
  const formatDate = useFormatDate();
  const client = useQueryClient();
  const { draft, setDraft, set } = useDraft<Draft>(empty);
  const [created, setCreated] = useState<ContactCreated | null>(null);
  const [postalError, setPostalError] = useState<string | null>(null);
  // 郵便番号 → 都道府県・市区町村・町域, from the offline postal table on the server.
  const lookupPostal = async () => {
    const code = normalizePostalCode(draft.postalCode);
    if (!code) {
      setPostalError(t("form.postalInvalid"));
      return;
    }
    try {
      const found = await api.get<{ items: PostalHit[] }>(`/postal-codes/${code}`);
      const first = found.items[0];
      if (!first) throw new Error("not found");
      setPostalError(null);
      setDraft((d) => ({
        ...d,
        prefectureCode: first.prefectureCode,
        municipalityCode: first.municipalityCode,
        line: found.items.length === 1 ? first.town : d.line,
      }));
    } catch {
      setPostalError(t("form.postalNotFound"));
    }
  };
  const sameAddress = () => {
    if (!indexAddress?.municipalityCode) return;
    setDraft((d) => ({
      ...d,
      postalCode: indexAddress.postalCode ?? "",
      prefectureCode: indexAddress.prefectureCode ?? indexAddress.municipalityCode?.slice(0, 2) ?? "",
      municipalityCode: indexAddress.municipalityCode ?? "",
      line: indexAddress.line ?? "",
    }));
  };
  const jurisdictions = useQuery(jurisdictionsQueryOptions);
  const save = useMutation({
    mutationFn: (d: Draft) => investigationApi.addContact(caseId, bodyOf(d)),
    onSuccess: (reply) => {
      setCreated(reply);
      setDraft(empty());
      void client.invalidateQueries({ queryKey: investigationKeys.all });
    },
  });
  const errors = fieldErrors(save.error);
  const field = bindFields(draft, set, errors);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCreated(null);
    save.mutate(draft);
  };
  return (
    <form
      onSubmit={submit}
      className="mb-4 flex flex-col gap-4 rounded-8 border border-solid-gray-420 bg-solid-gray-50 p-4"
      data-testid="contact-form"
      aria-label={t("panel.addContact")}
    >
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2 xl:grid-cols-4">
        <TextField
          label={t("form.nameKana")}
          hint={t("form.nameKanaHint")}
          required
          {...field.text("nameKana")}
          maxLength={100}
          onBlur={() => isKana(draft.nameKana) && set("nameKana", toKatakana(draft.nameKana))}
          data-testid="contact-kana"
        />
        <TextField
          label={t("form.nameKanji")}
          {...field.text("nameKanji")}
          maxLength={100}
          data-testid="contact-kanji"
        />
        <DateInput
          label={t("form.birthDate")}
          {...field.value("birthDate")}
          testId="contact-birth"
          formatHint={false}
        />
        <Select label={t("form.sex")} {...field.text("sex")} placeholder={t("form.choose")} codes={sexes} />
        <TextField
          label={t("form.phone")}
          type="tel"
          {...field.text("phone")}
          maxLength={20}
          data-testid="contact-phone"
        />
        <Select
          label={t("form.relationship")}
          required
          {...field.text("relationship")}
          placeholder={t("form.choose")}
          codes={contactRelationships}
          data-testid="contact-relationship"
        />
        <DateInput
          label={t("form.lastContactDate")}
          required
          {...field.value("lastContactDate")}
          testId="contact-last"
          formatHint={false}
        />
        <TextField label={t("form.note")} {...field.text("note")} maxLength={2000} />
      </div>
      <fieldset className="grid grid-cols-1 gap-4 md:grid-cols-[12rem_16rem_1fr]">
        <legend className="mb-1 text-std-16B-170">{t("form.address")}</legend>
        <p className="text-dns-14N-130 text-solid-gray-700 md:col-span-3">{t("form.addressHint")}</p>
        <div className="flex flex-wrap items-end gap-3 md:col-span-3">
          <TextField
            label={t("form.postalCode")}
            hint={t("form.postalCodeHint")}
            {...field.text("postalCode")}
            inputMode="numeric"
            maxLength={8}
            error={postalError ?? errors.postalCode}
            data-testid="contact-postal"
          />
          <Button
            variant="secondary"
            size="sm"
            onClick={() => void lookupPostal()}
            data-testid="contact-postal-lookup"
          >
            {t("form.postalLookup")}
          </Button>
          {indexAddress?.municipalityCode ? (
            <Button variant="secondary" size="sm" onClick={sameAddress} data-testid="contact-same-address">
              {t("form.sameAddress")}
            </Button>
          ) : null}
        </div>
        <Select
          label={t("form.prefecture")}
          value={draft.prefectureCode}
          placeholder={t("form.none")}
          options={(jurisdictions.data?.prefectures ?? []).map((p) => ({ value: p.code, label: p.name }))}
          onChange={(e) => {
            const prefectureCode = e.currentTarget.value;
            setDraft((d) => ({ ...d, prefectureCode, municipalityCode: "" }));
          }}
          error={errors["address.prefectureCode"]}
        />
        <MunicipalitySelect
          label={t("form.municipality")}
          prefectureCode={draft.prefectureCode}
          value={draft.municipalityCode}
          onChange={(code) => set("municipalityCode", code)}
          error={errors["address.municipalityCode"]}
          testId="contact-municipality"
        />
        <TextField
          label={t("form.addressLine")}
          value={draft.line}
          maxLength={200}
          disabled={!draft.municipalityCode}
          onChange={(e) => set("line", e.currentTarget.value)}
          error={errors["address.line"]}
        />
      </fieldset>
      <ErrorAlert error={save.error} />
      {created ? (
        <Alert tone="success" title={t("created.contact")} testId="contact-saved">
          <p>
            {created.observationPeriod
              ? t(created.observationPeriod.mandatory ? "created.waitingUntil" : "created.advisedUntil", {
                  date: formatDate(created.observationPeriod.endDate),
                })
              : t("created.noWaiting")}
          </p>
          {created.matchedExistingPerson ? <p>{t("created.matched")}</p> : null}
          {created.linkedExistingCase ? <p>{t("created.linkedCase")}</p> : null}
          {created.linkProposals.map((p) => (
            <p key={p.id} data-testid="contact-held-elsewhere">
              {t("created.heldElsewhere", { center: p.healthCenterName })}
            </p>
          ))}
          <Link
            to="/cases/$caseId"
            params={{ caseId: created.caseId }}
            search={{ tab: "investigation" }}
            className="text-blue-1000 underline"
            data-testid="contact-case-link"
          >
            {t("created.openCase")}
          </Link>
        </Alert>
      ) : null}
      <div className="flex gap-3">
        <Button type="submit" busy={save.isPending} data-testid="contact-save">
          {t("form.save")}
        </Button>
        <Button variant="tertiary" onClick={onClose}>
          {t("form.close")}
        </Button>
      </div>
    </form>
  );
}
