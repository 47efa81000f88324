import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ageBands, caseStatuses, type Lang, label, sexes } from "#domain/codes.ts";
import { fieldErrors } from "../../app/api.ts";
import { useMe } from "../../app/auth.ts";
import { useLiveInvalidate, useLiveStatus } from "../../app/live.ts";
import { Alert, ErrorAlert } from "../../app/ui/Alert.tsx";
import { Badge } from "../../app/ui/Badge.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { Checkbox } from "../../app/ui/CheckboxGroup.tsx";
import { DateTimeText } from "../../app/ui/DateText.tsx";
import { Loading } from "../../app/ui/Loading.tsx";
import { PageHeader } from "../../app/ui/PageHeader.tsx";
import { TextField } from "../../app/ui/TextField.tsx";
import { bedKeys, type Capacity, capacityQueryOptions, placementsQueryOptions, putCapacity } from "./api.ts";

type Form = Record<"beds" | "bedsFree" | "severeBeds" | "severeBedsFree", string> & { accepting: boolean };
const toForm = (c: Capacity): Form => ({
  beds: String(c.beds),
  bedsFree: String(c.bedsFree),
  severeBeds: String(c.severeBeds),
  severeBedsFree: String(c.severeBedsFree),
  accepting: c.accepting,
});
// Digits typed with the IME on (５) count as the number they are.
const numberOf = (s: string) => (s.trim() === "" ? Number.NaN : Number(s.normalize("NFKC").trim()));

/** 病床状況: a hospital's or hotel's own staff keep its capacity; placements arrive live. */
export function CapacityPage() {
  const { t, i18n } = useTranslation("beds");
  const lang = (i18n.language === "en" ? "en" : "ja") as Lang;
  const facilityId = useMe().affiliation.id;
  const client = useQueryClient();
  const live = useLiveStatus();
  const capacity = useQuery(capacityQueryOptions(facilityId));
  const placements = useQuery(placementsQueryOptions(facilityId));
  useLiveInvalidate(["capacity.updated", "coordination.placed", "case.status"], bedKeys.all);
  const [form, setForm] = useState<Form | null>(null);
  const [editing, setEditing] = useState(false);
  // The form follows the live numbers until the user starts typing.
  useEffect(() => {
    if (capacity.data && !editing) setForm(toForm(capacity.data));
  }, [capacity.data, editing]);
  const save = useMutation({
    mutationFn: (f: Form) =>
      putCapacity(facilityId, {
        beds: numberOf(f.beds),
        bedsFree: numberOf(f.bedsFree),
        severeBeds: numberOf(f.severeBeds),
        severeBedsFree: numberOf(f.severeBedsFree),
        accepting: f.accepting,
        version: capacity.data?.updatedAt ? capacity.data.version : undefined,
      }),
    onSuccess: (data) => {
      client.setQueryData(bedKeys.capacity(facilityId), data);
      setEditing(false);
    },
    onError: () => client.invalidateQueries({ queryKey: bedKeys.capacity(facilityId) }),
  });
  const errors = fieldErrors(save.error);
  if (capacity.isPending || !form) return <Loading />;
  if (capacity.error) return <ErrorAlert error={capacity.error} />;
  const c = capacity.data;
  const field = (name: keyof Omit<Form, "accepting">) => ({
    value: form[name],
    inputMode: "numeric" as const,
    error: errors[name],
    onChange: (e: { target: { value: string } }) => {
      setEditing(true);
      setForm({ ...form, [name]: e.target.value });
    },
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(form);
  };

  return (
    <div>
      <PageHeader
        title={t("capacity.title")}
        eyebrow={c.facilityName}
        description={t("capacity.description")}
        actions={
          live === "open" ? (
            <Badge tone="success">{t("live")}</Badge>
          ) : (
            <Badge tone="warning">{t("notLive")}</Badge>
          )
        }
      />
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
        <section aria-labelledby="capacity-now" className="rounded-8 border border-solid-gray-420 p-4">
          <h2 id="capacity-now" className="text-std-20B-150">
            {t("capacity.now")}
          </h2>
          <p className="mt-2 text-std-24B-150" data-testid="capacity-free">
            {t("freeBeds", { free: c.bedsFree, total: c.beds })}
          </p>
          {c.kind === "hospital" ? (
            <p className="text-std-16N-170">
              {t("freeSevere", { free: c.severeBedsFree, total: c.severeBeds })}
            </p>
          ) : null}
          <p className="mt-1 text-dns-14N-130 text-solid-gray-700">
            {c.updatedAt ? (
              <>
                {t("updatedAt")} <DateTimeText value={c.updatedAt} /> {c.updatedByName ?? ""}
              </>
            ) : (
              t("neverUpdated")
            )}
          </p>
          <form className="mt-4 flex flex-col gap-3" onSubmit={onSubmit} noValidate>
            <div className="grid grid-cols-2 gap-3">
              <TextField label={t("capacity.beds")} {...field("beds")} />
              <TextField label={t("capacity.bedsFree")} {...field("bedsFree")} />
              {c.kind === "hospital" ? (
                <>
                  <TextField label={t("capacity.severeBeds")} {...field("severeBeds")} />
                  <TextField label={t("capacity.severeBedsFree")} {...field("severeBedsFree")} />
                </>
              ) : null}
            </div>
            <Checkbox
              label={t("capacity.accepting")}
              checked={form.accepting}
              onChange={(e) => {
                setEditing(true);
                setForm({ ...form, accepting: e.target.checked });
              }}
            />
            {save.error && Object.keys(errors).length === 0 ? <ErrorAlert error={save.error} /> : null}
            {save.isSuccess && !editing ? <Alert tone="success">{t("capacity.saved")}</Alert> : null}
            <div className="flex gap-3">
              <Button type="submit" busy={save.isPending}>
                {t("capacity.save")}
              </Button>
              {editing ? (
                <Button variant="tertiary" onClick={() => setEditing(false)}>
                  {t("capacity.cancel")}
                </Button>
              ) : null}
            </div>
          </form>
        </section>
        <section aria-labelledby="placed-title">
          <h2 id="placed-title" className="mb-2 text-std-20B-150">
            {t("capacity.placed")}
          </h2>
          {placements.isPending ? (
            <Loading />
          ) : (placements.data?.items ?? []).length === 0 ? (
            <p className="text-std-16N-170 text-solid-gray-700">{t("capacity.placedEmpty")}</p>
          ) : (
            <ul className="flex flex-col gap-2" data-testid="placed-list">
              {placements.data?.items.map((p) => (
                <li
                  key={p.placementId}
                  className="rounded-8 border border-solid-gray-200 p-3"
                  data-testid="placed-row"
                >
                  <Link
                    to="/cases/$caseId"
                    params={{ caseId: p.caseId }}
                    className="text-blue-1000 underline"
                  >
                    {p.caseNumber}
                  </Link>{" "}
                  {p.ageBand ? label(ageBands, p.ageBand, lang) : ""} {label(sexes, p.sex, lang)}{" "}
                  <Badge tone="info">{label(caseStatuses, p.status, lang)}</Badge>
                  <div className="text-dns-14N-130 text-solid-gray-700">
                    {p.healthCenterName} ・ <DateTimeText value={p.placedAt} />
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}
