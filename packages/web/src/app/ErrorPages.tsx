import { type ErrorComponentProps, Link, useRouter } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { isApiError } from "./api.ts";
import { useErrorMessage } from "./ui/Alert.tsx";
import { Button } from "./ui/Button.tsx";
import { PageHeader } from "./ui/PageHeader.tsx";

function isForbidden(error: unknown): boolean {
  return (
    (error instanceof Error && error.name === "ForbiddenError") || (isApiError(error) && error.status === 403)
  );
}

const linkClass = "text-blue-1000 underline hover:decoration-2";

/** Shown when a route's loader or guard fails (inside the shell for signed-in pages). */
export function ErrorPage({ error, reset }: ErrorComponentProps) {
  const { t } = useTranslation("common");
  const router = useRouter();
  const message = useErrorMessage();
  if (isForbidden(error)) {
    return (
      <div className="mx-auto max-w-3xl p-6" data-testid="forbidden">
        <PageHeader title={t("error.forbiddenTitle")} />
        <p className="text-std-16N-170">{t("error.forbidden")}</p>
        <p className="mt-4">
          <Link to="/" className={linkClass}>
            {t("nav.home")}
          </Link>
        </p>
      </div>
    );
  }
  const { title, detail } = message(error);
  return (
    <div className="mx-auto max-w-3xl p-6" role="alert">
      <PageHeader title={t("error.pageTitle")} />
      <p className="text-std-16B-170">{title}</p>
      {detail ? <p className="mt-1 text-std-16N-170 text-solid-gray-700">{detail}</p> : null}
      <div className="mt-6 flex flex-wrap items-center gap-4">
        <Button
          onClick={() => {
            reset();
            void router.invalidate();
          }}
        >
          {t("action.retry")}
        </Button>
        <Link to="/" className={linkClass}>
          {t("nav.home")}
        </Link>
      </div>
    </div>
  );
}

export function NotFoundPage() {
  const { t } = useTranslation("common");
  return (
    <div className="mx-auto max-w-3xl p-6" data-testid="not-found">
      <PageHeader title={t("error.notFoundTitle")} />
      <p className="text-std-16N-170">{t("error.notFoundPage")}</p>
      <p className="mt-4">
        <Link to="/" className={linkClass}>
          {t("nav.home")}
        </Link>
      </p>
    </div>
  );
}
