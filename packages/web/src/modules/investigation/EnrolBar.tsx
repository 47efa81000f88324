import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../app/api.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { investigationKeys } from "./api.ts";

/** Enrols the selected contacts for self-reporting: one link each, sent by the health module. */
export function EnrolBar({ selected, onDone }: { selected: string[]; onDone: () => void }) {
  const { t } = useTranslation("investigation");
  const client = useQueryClient();
  const enrol = useMutation({
    mutationFn: () =>
      api.post<{ items: { caseId: string }[] }>("/contacts/report-links", { caseIds: selected }),
    onSuccess: () => {
      onDone();
      void client.invalidateQueries({ queryKey: investigationKeys.all });
    },
  });
  return (
    <div className="mb-4 flex flex-wrap items-center gap-3" data-testid="contacts-enrol">
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
      {enrol.isSuccess ? (
        <p role="status" className="text-success-2" data-testid="contacts-enrol-done">
          {t("enrol.done", { count: enrol.data.items.length })}
        </p>
      ) : null}
      <ErrorAlert error={enrol.error} />
    </div>
  );
}
