import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../app/ui/Button.tsx";
import { DateRange } from "../../app/ui/DateInput.tsx";
import { useSearchDraft } from "../../app/ui/form.ts";
import { TextField } from "../../app/ui/TextField.tsx";

export type Filters = Record<string, string | undefined>;

/**
 * The filter bar of 行動歴一覧 and 接触者一覧: free text, a date range and the list's own
 * selects (`extra`), applied to the URL on submit so a filtered list can be bookmarked.
 */
export function SearchForm<F extends Filters>({
  search,
  onSearch,
  qHint,
  rangeLabel,
  extra,
  testId,
}: {
  search: F;
  onSearch: (next: F) => void;
  qHint: string;
  rangeLabel: string;
  extra: (draft: F, set: (key: keyof F, value: string) => void) => ReactNode;
  testId: string;
}) {
  const { t } = useTranslation("investigation");
  const { t: tc } = useTranslation("common");
  const { draft, set, submit } = useSearchDraft(search, onSearch);
  return (
    <search className="mb-6 block">
      <form onSubmit={submit} className="flex flex-wrap items-end gap-3" data-testid={testId}>
        <TextField
          type="search"
          label={t("search.q")}
          hint={qHint}
          value={draft.q ?? ""}
          onChange={(e) => set("q", e.currentTarget.value)}
          className="min-w-64 flex-1"
          data-testid={`${testId}-q`}
        />
        <DateRange
          legend={rangeLabel}
          from={draft.from ?? null}
          to={draft.to ?? null}
          onChange={(end, v) => set(end, v ?? "")}
        />
        {extra(draft, set)}
        <div className="flex gap-2">
          <Button type="submit" data-testid={`${testId}-submit`}>
            {tc("action.search")}
          </Button>
          <Button variant="tertiary" onClick={() => onSearch({} as F)}>
            {t("search.clear")}
          </Button>
        </div>
      </form>
    </search>
  );
}
