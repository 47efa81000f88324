import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { type ApiError, isApiError } from "../api.ts";
import { cx } from "./cx.ts";

export type AlertTone = "info" | "success" | "warning" | "error";

const tones: Record<AlertTone, string> = {
  info: "border-blue-900 bg-blue-50",
  success: "border-success-2 bg-green-50",
  warning: "border-warning-yellow-2 bg-yellow-50",
  error: "border-error-2 bg-red-50",
};

/** A notice box. Errors are announced to screen readers (role=alert), others politely (role=status). */
export function Alert({
  tone = "info",
  title,
  children,
  className,
  testId,
}: {
  tone?: AlertTone;
  title?: ReactNode;
  children?: ReactNode;
  className?: string;
  testId?: string;
}) {
  return (
    <div
      data-testid={testId}
      role={tone === "error" ? "alert" : "status"}
      className={cx("rounded-8 border-l-8 border px-4 py-3 text-std-16N-170", tones[tone], className)}
    >
      {title ? <p className="text-std-16B-170">{title}</p> : null}
      {children ? <div>{children}</div> : null}
    </div>
  );
}

/** The user-facing message for any error (translated by status/code; the server message as detail). */
export function useErrorMessage(): (error: unknown) => { title: string; detail?: string } {
  const { t } = useTranslation("common");
  return (error: unknown) => {
    if (!isApiError(error)) {
      return { title: t("error.unexpected"), detail: error instanceof Error ? error.message : undefined };
    }
    const e: ApiError = error;
    const serverMessage = e.message && !e.message.startsWith("HTTP ") ? e.message : undefined;
    if (e.status === 0) return { title: t("error.network") };
    if (e.status === 400)
      return { title: t("error.badRequest"), detail: e.fieldIssues.length ? undefined : serverMessage };
    if (e.status === 401) return { title: t("error.unauthorized") };
    if (e.status === 403) return { title: t("error.forbidden") };
    if (e.status === 404) return { title: t("error.notFound") };
    if (e.status === 409) return { title: t("error.conflict"), detail: serverMessage };
    if (e.status === 413) return { title: t("error.tooLarge") };
    if (e.status === 429 || e.status === 503) {
      return {
        title: e.retryAfter ? t("error.busyRetryAfter", { seconds: e.retryAfter }) : t("error.busy"),
        detail: serverMessage,
      };
    }
    if (e.status >= 500) return { title: t("error.server"), detail: serverMessage };
    return { title: serverMessage ?? t("error.unexpected") };
  };
}

export function ErrorAlert({ error, className }: { error: unknown; className?: string }) {
  const message = useErrorMessage();
  if (!error) return null;
  const { title, detail } = message(error);
  return (
    <Alert tone="error" title={title} className={className}>
      {detail}
    </Alert>
  );
}
