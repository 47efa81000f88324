import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Badge } from "../../app/ui/Badge.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { Dialog, DialogActions } from "../../app/ui/Dialog.tsx";
import { EmptyState } from "../../app/ui/EmptyState.tsx";
import { Loading } from "../../app/ui/Loading.tsx";
import { PageHeader } from "../../app/ui/PageHeader.tsx";
import {
  caseKeys,
  type DuplicatePair,
  type DuplicatePerson,
  duplicatesQueryOptions,
  personsApi,
} from "./api.ts";
import { IncomingLinkProposals, OutgoingLinkProposals } from "./LinkProposals.tsx";
import { PersonCard } from "./PersonCard.tsx";

type Merge = { keep: DuplicatePerson; merge: DuplicatePerson };

/** 重複の可能性がある患者: pairs side by side; merge keeps all cases, tests and history. */
export function DuplicatesPage() {
  const { t } = useTranslation("cases");
  const { t: tc } = useTranslation("common");
  const query = useInfiniteQuery(duplicatesQueryOptions);
  const queryClient = useQueryClient();
  const [pending, setPending] = useState<Merge | null>(null);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: caseKeys.duplicates });
    void queryClient.invalidateQueries({ queryKey: caseKeys.all });
  };
  const merge = useMutation({
    mutationFn: (m: Merge) => personsApi.merge(m.keep.id, m.merge.id),
    onSuccess: () => {
      setPending(null);
      refresh();
    },
  });
  const dismiss = useMutation({
    mutationFn: (pair: DuplicatePair) => personsApi.dismiss(pair.a.id, pair.b.id),
    onSuccess: refresh,
  });
  const pairs = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageHeader
        title={t("duplicates.title")}
        description={t("duplicates.description")}
        actions={
          <Link to="/cases" className="text-blue-1000 underline">
            {t("detail.backToList")}
          </Link>
        }
      />
      <IncomingLinkProposals />
      <ErrorAlert error={dismiss.error} />
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <ErrorAlert error={query.error} />
      ) : pairs.length === 0 ? (
        <EmptyState title={t("duplicates.none")} />
      ) : (
        <ul className="flex flex-col gap-6" data-testid="duplicates">
          {pairs.map((pair) => (
            <li
              key={`${pair.a.id}-${pair.b.id}`}
              className="rounded-12 border border-solid-gray-420 p-4"
              data-testid="duplicate-pair"
            >
              <div className="mb-3 flex flex-wrap items-center gap-2">
                <span className="text-std-16B-170">{t("duplicates.reasons")}</span>
                {pair.reasons.map((r) => (
                  <Badge key={r} tone="warning">
                    {t(`duplicates.reason.${r}`)}
                  </Badge>
                ))}
              </div>
              <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
                {[pair.a, pair.b].map((person, i) => (
                  <PersonCard
                    key={person.id}
                    person={person}
                    onKeep={() => setPending({ keep: person, merge: i === 0 ? pair.b : pair.a })}
                  />
                ))}
              </div>
              <div className="mt-3">
                <Button
                  size="sm"
                  variant="tertiary"
                  busy={dismiss.isPending}
                  onClick={() => dismiss.mutate(pair)}
                >
                  {t("duplicates.dismiss")}
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
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
      <OutgoingLinkProposals />
      <Dialog
        open={pending !== null}
        onClose={() => setPending(null)}
        dismissable={!merge.isPending}
        title={t("duplicates.confirmTitle")}
        description={t("duplicates.confirmBody", {
          keep: pending?.keep.nameKanji || pending?.keep.nameKana,
          merge: pending?.merge.nameKanji || pending?.merge.nameKana,
        })}
        footer={
          <DialogActions
            onCancel={() => setPending(null)}
            busy={merge.isPending}
            onClick={() => pending && merge.mutate(pending)}
            data-testid="merge-confirm"
          >
            {t("duplicates.merge")}
          </DialogActions>
        }
      >
        <ErrorAlert error={merge.error} />
      </Dialog>
    </>
  );
}
