import { useInfiniteQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Badge } from "../../app/ui/Badge.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { DateTimeText } from "../../app/ui/DateText.tsx";
import { Loading } from "../../app/ui/Loading.tsx";
import { historyQueryOptions } from "./api.ts";
import { ChangeList } from "./ChangeList.tsx";

/** 変更履歴: every change to the sections the user may read, newest first (who, when, before → after). */
export function HistoryTimeline({ caseId }: { caseId: string }) {
  const { t } = useTranslation("cases");
  const { t: tc } = useTranslation("common");
  const query = useInfiniteQuery(historyQueryOptions(caseId));
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorAlert error={query.error} />;
  const entries = query.data.pages.flatMap((p) => p.items);
  return (
    <section data-testid="history">
      <h2 className="mb-4 text-std-20B-150">{t("history.title")}</h2>
      <ol className="flex flex-col gap-4 border-l-4 border-blue-200 pl-5">
        {entries.map((h) => (
          <li
            key={h.id}
            className="relative"
            data-testid="history-entry"
            data-section={h.section}
            data-action={h.action}
          >
            <span
              aria-hidden="true"
              className="absolute top-2 -left-[1.72rem] size-3 rounded-full bg-blue-900"
            />
            <div className="flex flex-wrap items-center gap-2 text-dns-16N-130">
              <DateTimeText value={h.at} className="font-bold" />
              <Badge tone="info">{t(`section.${h.section}`, { defaultValue: h.section })}</Badge>
              <span>{t(`action.${h.action}`, { defaultValue: h.action })}</span>
              <span className="text-solid-gray-700" data-testid="history-actor">
                {h.actor?.displayName || t("history.system")}
                {h.actor?.affiliationName ? `（${h.actor.affiliationName}）` : ""}
                {h.actor?.role ? `・${tc(`role.${h.actor.role}`)}` : ""}
              </span>
            </div>
            <div className="mt-1 max-w-3xl">
              <ChangeList before={h.before} after={h.after} />
            </div>
          </li>
        ))}
      </ol>
      {query.hasNextPage ? (
        <Button
          className="mt-4"
          variant="secondary"
          busy={query.isFetchingNextPage}
          onClick={() => void query.fetchNextPage()}
        >
          {tc("action.loadMore")}
        </Button>
      ) : null}
    </section>
  );
}
