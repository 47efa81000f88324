import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Alert } from "./Alert.tsx";
import { SecretValue } from "./SecretValue.tsx";

/**
 * A credential just made, shown this once (an account's password, an API client's secret): what
 * was done, each value with a copy button, any notes, and the warning that it cannot be shown
 * again, with how to hand it over.
 */
export function SecretsShownOnce({
  done,
  values,
  handOver,
  children,
  testId,
}: {
  /** What was made, e.g. 「アカウント xxx を作成しました」. */
  done: string;
  values: readonly { label: string; value: string; testId?: string }[];
  /** How to pass it on safely, under the shown-once warning. */
  handOver: ReactNode;
  /** Notes between the values and the warning. */
  children?: ReactNode;
  testId?: string;
}) {
  const { t } = useTranslation("common");
  return (
    <div className="flex flex-col gap-4" data-testid={testId}>
      <Alert tone="success" title={done} />
      <dl className="flex flex-col gap-4">
        {values.map((v) => (
          <SecretValue key={v.label} label={v.label} value={v.value} testId={v.testId} />
        ))}
      </dl>
      {children}
      <Alert tone="warning" title={t("secret.handOverTitle")}>
        {handOver}
      </Alert>
    </div>
  );
}
