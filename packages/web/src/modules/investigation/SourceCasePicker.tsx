import { useQuery } from "@tanstack/react-query";
import { useDeferredValue, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../app/api.ts";
import type { Page } from "../../app/reference.ts";
import { Button } from "../../app/ui/Button.tsx";
import { FieldError } from "../../app/ui/Field.tsx";
import { TextField } from "../../app/ui/TextField.tsx";
import type { CaseListItem } from "../cases/api.ts";

/** A case named as the infection source, as the user reads it (never by its id). */
export type SourceCase = { caseId: string; caseNumber: string; nameKanji: string; nameKana: string };

const MAX_RESULTS = 8;

export const sourceLabel = (s: Pick<SourceCase, "nameKanji" | "nameKana" | "caseNumber">) =>
  `${s.nameKanji || s.nameKana}（${s.caseNumber}）`;

/**
 * 感染源の症例: found by case number or name (kana or kanji; hiragana is folded by the search)
 * among the cases the user sees, as 患者一覧's search box finds them.
 */
export function SourceCasePicker({
  caseId,
  value,
  onChange,
  error,
}: {
  caseId: string;
  value: SourceCase[];
  onChange: (next: SourceCase[]) => void;
  error?: string;
}) {
  const { t } = useTranslation("investigation");
  const [text, setText] = useState("");
  const q = useDeferredValue(text.trim());
  const listId = useId();
  const found = useQuery({
    queryKey: ["cases", "source-search", q],
    queryFn: ({ signal }) =>
      api.get<Page<CaseListItem>>("/cases", { signal, query: { q, limit: MAX_RESULTS + 1 } }),
    enabled: q.length >= 2,
    staleTime: 30_000,
  });
  const chosen = new Set(value.map((s) => s.caseId));
  const candidates = (found.data?.items ?? []).filter((c) => c.id !== caseId && !chosen.has(c.id));
  return (
    <div className="flex flex-col gap-2 sm:col-span-2" data-testid="source-picker">
      <span className="text-std-16B-170">{t("infection.sources")}</span>
      {value.length > 0 ? (
        <ul className="flex flex-col gap-1" data-testid="source-chosen">
          {value.map((s) => (
            <li key={s.caseId} className="flex items-center gap-3 text-std-16N-170">
              <span>{sourceLabel(s)}</span>
              <Button
                size="sm"
                variant="tertiary"
                onClick={() => onChange(value.filter((v) => v.caseId !== s.caseId))}
                aria-label={t("infection.removeSource", { name: sourceLabel(s) })}
              >
                {t("infection.remove")}
              </Button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-std-16N-170 text-solid-gray-700">{t("infection.noSources")}</p>
      )}
      <TextField
        label={t("infection.searchSource")}
        hint={t("infection.searchSourceHint")}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        aria-controls={listId}
        data-testid="source-search"
      />
      <FieldError id={`${listId}-error`}>{error}</FieldError>
      <div id={listId} aria-live="polite">
        {q.length >= 2 && found.isSuccess ? (
          candidates.length === 0 ? (
            <p className="text-std-16N-170 text-solid-gray-700">{t("infection.noMatch")}</p>
          ) : (
            <ul className="flex flex-col divide-y divide-solid-gray-200 rounded-8 border border-solid-gray-420">
              {candidates.slice(0, MAX_RESULTS).map((c) => (
                <li key={c.id} className="flex items-center justify-between gap-3 px-3 py-2">
                  <span className="flex flex-col">
                    <span className="text-std-16N-170">{sourceLabel(c)}</span>
                    <span className="text-dns-14N-130 text-solid-gray-700">{c.nameKana}</span>
                  </span>
                  <Button
                    size="sm"
                    variant="secondary"
                    data-testid="source-candidate"
                    onClick={() => {
                      onChange([
                        ...value,
                        {
                          caseId: c.id,
                          caseNumber: c.caseNumber,
                          nameKanji: c.nameKanji,
                          nameKana: c.nameKana,
                        },
                      ]);
                      setText("");
                    }}
                  >
                    {t("infection.choose")}
                  </Button>
                </li>
              ))}
            </ul>
          )
        ) : null}
      </div>
    </div>
  );
}
