import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { placeKinds } from "#domain/codes.ts";
import { useLiveInvalidate } from "../../app/live.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { DateText } from "../../app/ui/DateText.tsx";
import { useCodeLabel } from "../cases/labels.ts";
import { clusterApi, clusterKeys, clusterTopics, suggestionsQueryOptions } from "./api.ts";

/** クラスター候補: places several cases visited at overlapping times, to confirm or dismiss. */
export function SuggestionsPanel() {
  const { t } = useTranslation("clusters");
  const codeLabel = useCodeLabel();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const query = useQuery(suggestionsQueryOptions());
  useLiveInvalidate(clusterTopics, clusterKeys.suggestions);
  const refresh = () => queryClient.invalidateQueries({ queryKey: clusterKeys.all });
  const confirm = useMutation({
    mutationFn: (id: string) => clusterApi.confirm(id),
    onSuccess: async ({ clusterId }) => {
      await refresh();
      void navigate({ to: "/clusters/$clusterId", params: { clusterId } });
    },
  });
  const dismiss = useMutation({ mutationFn: (id: string) => clusterApi.dismiss(id), onSuccess: refresh });
  const items = query.data?.items ?? [];
  return (
    <section aria-labelledby="cluster-suggestions" className="mb-8" data-testid="cluster-suggestions">
      <h2 id="cluster-suggestions" className="mb-1 text-std-20B-150">
        {t("suggestions.title")}
      </h2>
      <p className="mb-3 text-std-16N-170 text-solid-gray-700">{t("suggestions.description")}</p>
      <ErrorAlert error={query.error ?? confirm.error ?? dismiss.error} className="mb-3" />
      {query.isSuccess && items.length === 0 ? (
        <p className="text-std-16N-170 text-solid-gray-700">{t("suggestions.empty")}</p>
      ) : null}
      <ul className="grid gap-3 lg:grid-cols-2">
        {items.map((s) => (
          <li
            key={s.id}
            className="flex flex-col gap-2 rounded-12 border border-solid-gray-420 bg-white p-4"
            data-testid="cluster-suggestion"
          >
            <p className="text-std-18B-160">{s.placeName}</p>
            <p className="text-std-16N-170 text-solid-gray-800">
              {s.placeKind ? `${codeLabel(placeKinds, s.placeKind)}・` : ""}
              <DateText value={s.from} />
              {s.to !== s.from ? (
                <>
                  〜<DateText value={s.to} />
                </>
              ) : null}
            </p>
            <p className="text-std-16N-170" data-testid="cluster-suggestion-count">
              {s.caseCount > s.caseIds.length
                ? t("suggestions.countsWithOthers", { all: s.caseCount, mine: s.caseIds.length })
                : t("suggestions.counts", { all: s.caseCount })}
            </p>
            <div className="flex gap-2">
              <Button
                size="sm"
                busy={confirm.isPending && confirm.variables === s.id}
                onClick={() => confirm.mutate(s.id)}
                data-testid="cluster-suggestion-confirm"
              >
                {t("suggestions.confirm")}
              </Button>
              <Button
                size="sm"
                variant="secondary"
                busy={dismiss.isPending && dismiss.variables === s.id}
                onClick={() => dismiss.mutate(s.id)}
                data-testid="cluster-suggestion-dismiss"
              >
                {t("suggestions.dismiss")}
              </Button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
