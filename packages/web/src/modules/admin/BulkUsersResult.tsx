import { useTranslation } from "react-i18next";
import { DateTimeText } from "../../app/ui/DateText.tsx";
import { SecretValue } from "../../app/ui/SecretValue.tsx";
import type { UserImportRow } from "./api.ts";

/**
 * Each new account's first-login link, shown once: the administrator hands it to the person,
 * who chooses a password and enrols a second factor. No password is ever shown here.
 */
export function BulkUsersResult({ rows }: { rows: UserImportRow[] }) {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation("common");
  return (
    <div className="flex flex-col gap-3">
      <p className="text-std-16B-170">{t("bulk.linksOnce")}</p>
      <ul className="flex flex-col gap-4" data-testid="bulk-links">
        {rows.map((r) => (
          <li key={r.loginId} className="rounded-8 border border-solid-gray-420 p-3">
            <p className="mb-2 text-std-16N-170">
              <span className="font-bold">{r.displayName}</span>（{r.loginId}・{tc(`role.${r.role}`)}
              {r.affiliation ? `・${r.affiliation}` : ""}）
            </p>
            <dl>
              <SecretValue
                label={t("bulk.link")}
                value={r.firstLoginUrl ?? ""}
                testId={`first-login-link-${r.loginId}`}
              />
            </dl>
            {r.expiresAt ? (
              <p className="mt-1 text-dns-14N-130 text-solid-gray-700">
                {t("bulk.expires")} <DateTimeText value={r.expiresAt} />
              </p>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
