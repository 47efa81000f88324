import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, fieldErrors } from "../../app/api.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { TextField } from "../../app/ui/TextField.tsx";

/** アラート条件: this health center's thresholds over the disease definition's defaults. */
type Rules = Record<(typeof ruleFields)[number], number>;
type RulesItem = { diseaseCode: string; defaults: Rules; overrides: Partial<Rules>; effective: Rules };

const ruleFields = [
  "spo2Max",
  "feverThreshold",
  "feverConsecutiveDays",
  "highFever",
  "nonReportingHour",
  "spo2Drop",
] as const;
const rulesKey = ["health", "alert-rules"] as const;

export function AlertRulesPanel() {
  const { t } = useTranslation("health");
  const rules = useQuery({
    queryKey: rulesKey,
    queryFn: () => api.get<{ items: RulesItem[] }>("/health/alert-rules"),
  });
  return (
    <details className="mt-4 rounded-8 border border-solid-gray-420 p-4" data-testid="alert-rules-panel">
      <summary className="cursor-pointer text-std-16B-170">{t("rules.title")}</summary>
      <p className="mt-2 text-dns-14N-130 text-solid-gray-700">{t("rules.description")}</p>
      {rules.isError ? <ErrorAlert error={rules.error} /> : null}
      {rules.data?.items.map((item) => (
        <RulesForm key={item.diseaseCode} item={item} />
      ))}
    </details>
  );
}

function RulesForm({ item }: { item: RulesItem }) {
  const { t } = useTranslation("health");
  const client = useQueryClient();
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      ruleFields.map((f) => [f, item.overrides[f] === undefined ? "" : String(item.overrides[f])]),
    ),
  );
  const save = useMutation({
    mutationFn: (overrides: Partial<Rules>) => api.put(`/health/alert-rules/${item.diseaseCode}`, overrides),
    onSuccess: () => void client.invalidateQueries({ queryKey: rulesKey }),
  });
  const errors = fieldErrors(save.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // An empty field falls back to the disease definition's default.
    const overrides = Object.fromEntries(
      Object.entries(values)
        .filter(([, v]) => v.trim() !== "")
        .map(([k, v]) => [k, Number(v.normalize("NFKC"))]),
    );
    save.mutate(overrides);
  };
  return (
    <form onSubmit={submit} className="mt-3 flex flex-col gap-3">
      <p className="text-std-16B-170">{item.diseaseCode}</p>
      <div className="grid grid-cols-3 gap-3">
        {ruleFields.map((f) => (
          <TextField
            key={f}
            label={t(`rules.field.${f}`)}
            hint={t("rules.default", { value: item.defaults[f] })}
            inputMode="decimal"
            value={values[f]}
            onChange={(e) => {
              const value = e.currentTarget.value;
              setValues((v) => ({ ...v, [f]: value }));
            }}
            error={errors[f]}
          />
        ))}
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" variant="secondary" busy={save.isPending}>
          {t("rules.save")}
        </Button>
        {save.isSuccess ? <span role="status">{t("rules.saved")}</span> : null}
      </div>
    </form>
  );
}
