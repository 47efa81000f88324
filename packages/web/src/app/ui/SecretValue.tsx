import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "./Button.tsx";

/** A value shown once (initial password, client secret, first-login link) with a copy button. */
export function SecretValue({ label, value, testId }: { label: string; value: string; testId?: string }) {
  const { t } = useTranslation("common");
  const id = useId();
  const [copied, setCopied] = useState<"ok" | "failed" | null>(null);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(null), 3000);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("ok");
    } catch {
      setCopied("failed");
    }
  };
  return (
    <div className="flex flex-col gap-1">
      <dt id={`${id}-label`} className="text-std-16B-170 text-solid-gray-800">
        {label}
      </dt>
      <dd className="flex flex-wrap items-center gap-3">
        <code
          data-testid={testId}
          className="min-w-0 break-all rounded-6 border border-solid-gray-420 bg-solid-gray-50 px-3 py-2 text-mono-16B-150"
        >
          {value}
        </code>
        <Button variant="secondary" size="sm" onClick={copy}>
          {t("secret.copy")}
        </Button>
        <span role="status" className="text-dns-14N-130 text-solid-gray-700">
          {copied === "ok" ? t("secret.copied") : copied === "failed" ? t("secret.copyFailed") : ""}
        </span>
      </dd>
    </div>
  );
}
