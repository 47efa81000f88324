import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { caseStatuses, sexes } from "#domain/codes.ts";
import { formatPostalCode } from "#domain/kana.ts";
import { useMunicipalityName } from "../../app/reference.ts";
import { Button } from "../../app/ui/Button.tsx";
import { DateText } from "../../app/ui/DateText.tsx";
import type { DuplicatePerson } from "./api.ts";
import { useCodeLabel } from "./labels.ts";

/** One person of a possible duplicate pair, with the municipality by name. */
export function PersonCard({ person, onKeep }: { person: DuplicatePerson; onKeep?: () => void }) {
  const { t } = useTranslation("cases");
  const codeLabel = useCodeLabel();
  const municipality = useMunicipalityName(person.address.municipalityCode);
  return (
    <div className="flex flex-col gap-2 rounded-8 bg-solid-gray-50 p-3">
      <p className="text-std-18B-160">{person.nameKanji || person.nameKana}</p>
      <p className="text-dns-16N-130">{person.nameKana}</p>
      <p className="text-dns-16N-130">
        <DateText value={person.birthDate} />・{codeLabel(sexes, person.sex)}
      </p>
      <p className="text-dns-16N-130">
        {t("field.phone")}: {person.phone ?? t("value.none")}
      </p>
      <p className="text-dns-16N-130">
        {person.postalCode ? `〒${formatPostalCode(person.postalCode)} ` : ""}
        {municipality.data?.name ?? ""} {person.address.line ?? ""}
      </p>
      <ul className="text-dns-14N-130">
        {person.cases.map((c) => (
          <li key={c.id}>
            <Link to="/cases/$caseId" params={{ caseId: c.id }} className="text-blue-1000 underline">
              {t("detail.caseNumber")} {c.caseNumber}
            </Link>{" "}
            {codeLabel(caseStatuses, c.status)}
          </li>
        ))}
      </ul>
      {onKeep ? (
        <Button size="sm" onClick={onKeep} data-testid="merge-keep">
          {t("duplicates.keepThis")}
        </Button>
      ) : null}
    </div>
  );
}
