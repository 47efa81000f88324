import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Badge } from "../../app/ui/Badge.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { DateTimeText } from "../../app/ui/DateText.tsx";
import { caseKeys, incomingProposalsQueryOptions, outgoingProposalsQueryOptions, personsApi } from "./api.ts";
import { PersonCard } from "./PersonCard.tsx";

/**
 * 他の保健所からの照会: another center's contact or 発生届 matched a person this center holds.
 * Only this center sees its own record here; the other center sees nothing of it until this
 * center decides the two are one person.
 */
export function IncomingLinkProposals() {
  const { t } = useTranslation("cases");
  const queryClient = useQueryClient();
  const query = useQuery(incomingProposalsQueryOptions);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ["persons"] });
    void queryClient.invalidateQueries({ queryKey: caseKeys.all });
  };
  const accept = useMutation({ mutationFn: personsApi.acceptProposal, onSuccess: refresh });
  const dismiss = useMutation({ mutationFn: personsApi.dismissProposal, onSuccess: refresh });
  const items = query.data?.items ?? [];
  if (items.length === 0 && !query.error) return null;
  return (
    <section
      className="mb-8 flex flex-col gap-4"
      aria-labelledby="link-proposals-heading"
      data-testid="link-proposals"
    >
      <h2 id="link-proposals-heading" className="text-std-20B-150">
        {t("linkProposals.incomingTitle", { count: items.length })}
      </h2>
      <p className="text-dns-16N-130">{t("linkProposals.incomingDescription")}</p>
      <ErrorAlert error={query.error ?? accept.error ?? dismiss.error} />
      <ul className="flex flex-col gap-4">
        {items.map((p) => (
          <li key={p.id} className="rounded-12 border-2 border-yellow-700 p-4" data-testid="link-proposal">
            <p className="mb-2 text-std-16B-170">
              {t(`linkProposals.from.${p.source}`, {
                center: p.proposingHealthCenter.name,
                number: p.proposingCaseNumber ?? "",
              })}
            </p>
            <div className="mb-3 flex flex-wrap items-center gap-2">
              <span className="text-dns-14N-130">{t("duplicates.reasons")}</span>
              {p.matchedOn.map((on) => (
                <Badge key={on} tone="warning">
                  {t(`linkProposals.matchedOn.${on}`)}
                </Badge>
              ))}
              <span className="text-dns-14N-130 text-solid-gray-700">
                <DateTimeText value={p.createdAt} />
              </span>
            </div>
            {p.heldPerson ? <PersonCard person={p.heldPerson} /> : null}
            <div className="mt-3 flex flex-wrap gap-3">
              <Button
                size="sm"
                busy={accept.isPending && accept.variables === p.id}
                onClick={() => accept.mutate(p.id)}
                data-testid="link-proposal-accept"
              >
                {t("linkProposals.accept")}
              </Button>
              <Button
                size="sm"
                variant="tertiary"
                busy={dismiss.isPending && dismiss.variables === p.id}
                onClick={() => dismiss.mutate(p.id)}
                data-testid="link-proposal-dismiss"
              >
                {t("linkProposals.dismiss")}
              </Button>
            </div>
            <p className="mt-2 text-dns-14N-130 text-solid-gray-700">{t("linkProposals.acceptNote")}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** 照会中: what this center asked other centers, and what they decided. */
export function OutgoingLinkProposals() {
  const { t } = useTranslation("cases");
  const query = useQuery(outgoingProposalsQueryOptions);
  const items = query.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section
      className="mt-8 flex flex-col gap-3"
      aria-labelledby="link-outgoing-heading"
      data-testid="link-outgoing"
    >
      <h2 id="link-outgoing-heading" className="text-std-20B-150">
        {t("linkProposals.outgoingTitle")}
      </h2>
      <ul className="flex flex-col gap-2">
        {items.map((p) => (
          <li key={p.id} className="flex flex-wrap items-center gap-3 text-dns-16N-130">
            {p.proposingCaseId ? (
              <Link
                to="/cases/$caseId"
                params={{ caseId: p.proposingCaseId }}
                className="text-blue-1000 underline"
              >
                {t("detail.caseNumber")} {p.proposingCaseNumber}
              </Link>
            ) : null}
            <span>{t("linkProposals.to", { center: p.heldHealthCenter.name })}</span>
            <Badge
              tone={p.status === "pending" ? "warning" : p.status === "accepted" ? "success" : "neutral"}
            >
              {t(`linkProposals.status.${p.status}`)}
            </Badge>
          </li>
        ))}
      </ul>
    </section>
  );
}
