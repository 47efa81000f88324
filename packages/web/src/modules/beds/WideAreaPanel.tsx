import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ageBands, type Lang, label, prefectures, severities, sexes } from "#domain/codes.ts";
import { fieldErrors } from "../../app/api.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Badge } from "../../app/ui/Badge.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { DateTimeText } from "../../app/ui/DateText.tsx";
import { Select } from "../../app/ui/Select.tsx";
import { TextField } from "../../app/ui/TextField.tsx";
import { useDiseaseName } from "../diseases/names.ts";
import { bedKeys, decideWideArea, requestWideArea, type WaitingItem, wideAreaQueryOptions } from "./api.ts";

const stateTone = { requested: "info", accepted: "success", declined: "danger" } as const;

/** 広域調整: ask a neighbouring prefecture to take a waiting patient, and answer its requests. */
export function WideAreaPanel({
  waiting,
  ownPrefecture,
}: {
  waiting: WaitingItem | null;
  ownPrefecture: string;
}) {
  const diseaseName = useDiseaseName();
  const { t, i18n } = useTranslation("beds");
  const lang = (i18n.language === "en" ? "en" : "ja") as Lang;
  const client = useQueryClient();
  const list = useQuery(wideAreaQueryOptions());
  const [to, setTo] = useState("");
  const [note, setNote] = useState("");
  const ask = useMutation({
    mutationFn: (item: WaitingItem) =>
      requestWideArea({ caseId: item.caseId, toPrefectureCode: to, note: note || undefined }),
    onSuccess: () => {
      setTo("");
      setNote("");
    },
    onSettled: () => client.invalidateQueries({ queryKey: bedKeys.wideArea() }),
  });
  const decide = useMutation({
    mutationFn: (v: { id: string; accept: boolean }) => decideWideArea(v.id, { accept: v.accept }),
    onSettled: () => client.invalidateQueries({ queryKey: bedKeys.wideArea() }),
  });
  const errors = fieldErrors(ask.error);
  const items = list.data?.items ?? [];
  const others = prefectures.filter((p) => p.code !== ownPrefecture);

  return (
    <section aria-labelledby="wide-area-title" className="mt-8">
      <h2 id="wide-area-title" className="mb-2 text-std-20B-150">
        {t("wideArea.title")}
      </h2>
      {waiting ? (
        <form
          className="mb-4 flex flex-wrap items-end gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            ask.mutate(waiting);
          }}
        >
          <Select
            label={t("wideArea.to", { caseNumber: waiting.caseNumber })}
            placeholder={t("wideArea.choose")}
            options={others.map((p) => ({ value: p.code, label: lang === "en" ? p.en : p.ja }))}
            value={to}
            onChange={(e) => setTo(e.target.value)}
            error={errors.toPrefectureCode}
            required
            className="w-64"
          />
          <TextField
            label={t("wideArea.note")}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            error={errors.note}
            className="min-w-64 flex-1"
          />
          <Button type="submit" variant="secondary" busy={ask.isPending} disabled={!to}>
            {t("wideArea.ask")}
          </Button>
        </form>
      ) : (
        <p className="mb-4 text-std-16N-170 text-solid-gray-700">{t("wideArea.hint")}</p>
      )}
      {ask.error && Object.keys(errors).length === 0 ? (
        <ErrorAlert error={ask.error} className="mb-4" />
      ) : null}
      {decide.error ? <ErrorAlert error={decide.error} className="mb-4" /> : null}
      {items.length === 0 ? (
        <p className="text-std-16N-170 text-solid-gray-700">{t("wideArea.empty")}</p>
      ) : (
        <table className="w-full border-collapse text-dns-14N-130" data-testid="wide-area-table">
          <caption className="sr-only">{t("wideArea.caption")}</caption>
          <thead>
            <tr className="border-b border-solid-gray-420 text-left">
              <th className="p-2">{t("wideArea.direction")}</th>
              <th className="p-2">{t("column.patient")}</th>
              <th className="p-2">{t("wideArea.note")}</th>
              <th className="p-2">{t("wideArea.requestedAt")}</th>
              <th className="p-2">{t("wideArea.state")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((w) => (
              <tr key={w.id} className="border-b border-solid-gray-200">
                <td className="p-2">
                  {w.direction === "incoming"
                    ? t("wideArea.from", { prefecture: label(prefectures, w.fromPrefectureCode, lang) })
                    : t("wideArea.toPrefecture", {
                        prefecture: label(prefectures, w.toPrefectureCode, lang),
                      })}
                </td>
                <td className="p-2">
                  <span className="block font-bold">{diseaseName(w.diseaseCode)}</span>
                  {w.ageBand ? label(ageBands, w.ageBand, lang) : t("unknown")} {label(sexes, w.sex, lang)}{" "}
                  {w.severity ? label(severities, w.severity, lang) : ""}
                </td>
                <td className="p-2">{w.note ?? ""}</td>
                <td className="p-2">
                  <DateTimeText value={w.requestedAt} />
                </td>
                <td className="p-2">
                  {w.direction === "incoming" && w.state === "requested" ? (
                    <span className="flex gap-2">
                      <Button size="sm" onClick={() => decide.mutate({ id: w.id, accept: true })}>
                        {t("wideArea.accept")}
                      </Button>
                      <Button
                        size="sm"
                        variant="secondary"
                        onClick={() => decide.mutate({ id: w.id, accept: false })}
                      >
                        {t("wideArea.decline")}
                      </Button>
                    </span>
                  ) : (
                    <Badge tone={stateTone[w.state]}>{t(`wideArea.states.${w.state}`)}</Badge>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
