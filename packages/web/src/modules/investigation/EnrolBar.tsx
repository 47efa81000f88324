import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../app/api.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { investigationKeys } from "./api.ts";

type Enrolled = { caseId: string; url: string; delivery: "queued" | "held" | "none" };

/**
 * Enrols the selected contacts for self-reporting: one link each, sent by the health module.
 * A link nothing will carry (no mobile number or e-mail, or no transport configured) is listed
 * with its URL, for staff to pass on by phone.
 */
export function EnrolBar({
  selected,
  nameOf,
  onDone,
}: {
  selected: string[];
  nameOf: (caseId: string) => string;
  onDone: () => void;
}) {
  const { t } = useTranslation("investigation");
  const client = useQueryClient();
  const enrol = useMutation({
    mutationFn: () => api.post<{ items: Enrolled[] }>("/contacts/report-links", { caseIds: selected }),
    onSuccess: () => {
      onDone();
      void client.invalidateQueries({ queryKey: investigationKeys.all });
    },
  });
  const items = enrol.data?.items ?? [];
  const queued = items.filter((i) => i.delivery === "queued");
  const unsent = items.filter((i) => i.delivery !== "queued");
  return (
    <div className="mb-4 flex flex-col gap-2" data-testid="contacts-enrol">
      <div className="flex flex-wrap items-center gap-3">
        <span className="text-std-16N-170">{t("enrol.selected", { count: selected.length })}</span>
        <Button
          size="sm"
          disabled={selected.length === 0}
          busy={enrol.isPending}
          onClick={() => enrol.mutate()}
          data-testid="contacts-enrol-send"
        >
          {t("enrol.send")}
        </Button>
        {enrol.isSuccess && queued.length > 0 ? (
          <p role="status" className="text-success-2" data-testid="contacts-enrol-done">
            {t("enrol.done", { count: queued.length })}
          </p>
        ) : null}
      </div>
      {unsent.length > 0 ? (
        <div
          role="status"
          className="rounded-8 border border-yellow-700 bg-yellow-50 p-3"
          data-testid="contacts-enrol-unsent"
        >
          <p className="text-std-16N-170">{t("enrol.unsent", { count: unsent.length })}</p>
          <ul className="mt-2 flex flex-col gap-1">
            {unsent.map((i) => (
              <li key={i.caseId} className="flex flex-wrap items-center gap-2 text-dns-14N-130">
                <span className="min-w-40 font-bold">{nameOf(i.caseId)}</span>
                <input
                  readOnly
                  value={i.url}
                  aria-label={t("enrol.url", { name: nameOf(i.caseId) })}
                  className="min-w-0 flex-1 rounded-4 border border-solid-gray-420 px-2 py-1"
                  onFocus={(e) => e.currentTarget.select()}
                />
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <ErrorAlert error={enrol.error} />
    </div>
  );
}
