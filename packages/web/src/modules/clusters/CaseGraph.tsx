import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { Loading } from "../../app/ui/Loading.tsx";
import { caseGraphQueryOptions } from "./api.ts";
import { TransmissionGraph } from "./TransmissionGraph.tsx";

/** This person's chain on the case record: drawn when asked (it walks the links). */
export function CaseGraph({ caseId, caseNumber }: { caseId: string; caseNumber: string }) {
  const { t } = useTranslation("clusters");
  const [shown, setShown] = useState(false);
  const query = useQuery({ ...caseGraphQueryOptions(caseId), enabled: shown });
  return (
    <div data-testid="case-graph">
      <div className="mb-2 flex items-center justify-between gap-3">
        <h3 className="text-std-18B-160">{t("graph.caseTitle")}</h3>
        <Button
          size="sm"
          variant="secondary"
          onClick={() => setShown((s) => !s)}
          data-testid="case-graph-toggle"
        >
          {shown ? t("graph.hide") : t("graph.show")}
        </Button>
      </div>
      {shown && query.isPending ? <Loading /> : null}
      {shown && query.isError ? <ErrorAlert error={query.error} /> : null}
      {shown && query.data ? <TransmissionGraph graph={query.data} fileName={`${caseNumber}-chain`} /> : null}
    </div>
  );
}
