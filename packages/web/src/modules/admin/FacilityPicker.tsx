import { useQuery } from "@tanstack/react-query";
import { useDeferredValue, useState } from "react";
import { useTranslation } from "react-i18next";
import { facilitiesQueryOptions, jurisdictionsQueryOptions } from "../../app/reference.ts";
import { Select } from "../../app/ui/Select.tsx";
import { TextField } from "../../app/ui/TextField.tsx";

type Kind = "clinic" | "hospital";

/**
 * 医療機関の選択 for the user and API-client dialogs: narrowed by prefecture and by name or
 * code (the filters are not part of the form), then chosen from the first page of matches.
 */
export function FacilityPicker({
  id,
  texts,
  legend,
  label,
  kinds,
  value,
  onChange,
  error,
}: {
  /** The select's id, for moving the focus to it from a refused submit. */
  id: string;
  /** Which dialog's wording (admin namespace) the filters use. */
  texts: "users" | "apiClients";
  legend: string;
  label: string;
  kinds: readonly Kind[];
  value: string;
  onChange: (facilityId: string) => void;
  error?: string;
}) {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation("common");
  const [prefectureCode, setPrefectureCode] = useState("");
  const [q, setQ] = useState("");
  const query = useDeferredValue(q.trim());
  const jurisdictions = useQuery(jurisdictionsQueryOptions);
  const facilities = useQuery(
    facilitiesQueryOptions({
      kind: kinds.length === 1 ? kinds[0] : undefined,
      prefectureCode: prefectureCode || undefined,
      q: query || undefined,
    }),
  );
  const options = (facilities.data?.items ?? [])
    .filter((f) => kinds.some((k) => k === f.kind))
    .map((f) => ({
      value: f.id,
      label: f.medicalInstitutionCode ? `${f.name}（${f.medicalInstitutionCode}）` : f.name,
    }));
  const count = facilities.data
    ? t(facilities.data.nextCursor ? "users.create.facilityMore" : "users.create.facilityCount", {
        count: options.length,
      })
    : undefined;
  return (
    <fieldset className="flex flex-col gap-4 rounded-8 border border-solid-gray-420 p-4">
      <legend className="px-1 text-std-16B-170">{legend}</legend>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Select
          label={t(`${texts}.create.facilityPrefecture`)}
          placeholder={t(`${texts}.create.allPrefectures`)}
          options={(jurisdictions.data?.prefectures ?? []).map((p) => ({
            value: p.code,
            label: `${p.code} ${p.name}`,
          }))}
          value={prefectureCode}
          onChange={(e) => setPrefectureCode(e.currentTarget.value)}
        />
        <TextField
          type="search"
          label={t(`${texts}.create.facilitySearch`)}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
        />
      </div>
      <Select
        id={id}
        label={label}
        required
        hint={count}
        placeholder={facilities.isPending ? tc("loading") : tc("form.choose")}
        options={options}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        error={error ?? (facilities.isError ? t("users.create.facilityLoadFailed") : undefined)}
      />
    </fieldset>
  );
}
