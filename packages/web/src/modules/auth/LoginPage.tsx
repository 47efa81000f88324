import { useQueryClient } from "@tanstack/react-query";
import { getRouteApi, useRouter } from "@tanstack/react-router";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { isApiError } from "../../app/api.ts";
import { login, meQueryKey } from "../../app/auth.ts";
import { LanguageSwitch } from "../../app/LanguageSwitch.tsx";
import { Alert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { TextField } from "../../app/ui/TextField.tsx";
import { safeRedirect } from "./redirect.ts";

const loginRouteApi = getRouteApi("/login");

type FieldName = "loginId" | "password" | "totp";
type FormError = { title: string; detail?: string };

export function LoginPage() {
  const { t } = useTranslation("auth");
  const { t: tc } = useTranslation("common");
  const router = useRouter();
  const queryClient = useQueryClient();
  const search = loginRouteApi.useSearch();

  const [loginId, setLoginId] = useState("");
  const [password, setPassword] = useState("");
  const [totp, setTotp] = useState("");
  const [needTotp, setNeedTotp] = useState(false);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<FormError | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<FieldName, string>>>({});

  const loginIdRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const totpRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = `${t("title")} | ${tc("app.name")}`;
  }, [t, tc]);

  useEffect(() => {
    if (needTotp) totpRef.current?.focus();
  }, [needTotp]);

  const validate = (): Partial<Record<FieldName, string>> => {
    const errors: Partial<Record<FieldName, string>> = {};
    if (!loginId.trim()) errors.loginId = t("error.loginIdRequired");
    if (!password) errors.password = t("error.passwordRequired");
    if (needTotp && !/^\d{6}$/.test(totp)) errors.totp = t("error.totpFormat");
    return errors;
  };

  const focusFirstError = (errors: Partial<Record<FieldName, string>>) => {
    if (errors.loginId) loginIdRef.current?.focus();
    else if (errors.password) passwordRef.current?.focus();
    else if (errors.totp) totpRef.current?.focus();
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const errors = validate();
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) {
      setFormError(null);
      focusFirstError(errors);
      return;
    }
    setBusy(true);
    setFormError(null);
    try {
      await login({ loginId: loginId.trim(), password, ...(needTotp ? { totp } : {}) });
      queryClient.removeQueries({ queryKey: meQueryKey });
      router.history.push(safeRedirect(search.redirect));
    } catch (error) {
      setBusy(false);
      if (!isApiError(error)) {
        setFormError({ title: t("error.unexpected") });
        return;
      }
      switch (error.code) {
        case "totp_required":
          setNeedTotp(true);
          setFormError({ title: t("error.totpRequired") });
          return;
        case "totp_invalid":
          setNeedTotp(true);
          setTotp("");
          setFieldErrors({ totp: t("error.totpInvalid") });
          totpRef.current?.focus();
          return;
        case "invalid_credentials":
          setPassword("");
          setFormError({ title: t("error.invalidCredentials") });
          passwordRef.current?.focus();
          return;
        case "account_locked":
          setFormError({ title: t("error.locked"), detail: error.message || undefined });
          return;
      }
      if (error.status === 423) {
        setFormError({ title: t("error.locked"), detail: error.message || undefined });
      } else if (error.status === 429) {
        setFormError({
          title: error.retryAfter
            ? t("error.rateLimitedRetry", { seconds: error.retryAfter })
            : t("error.rateLimited"),
          detail: error.message && !error.message.startsWith("HTTP ") ? error.message : undefined,
        });
      } else if (error.status === 400) {
        const byField: Partial<Record<FieldName, string>> = {};
        for (const issue of error.fieldIssues) {
          if (issue.path === "loginId" || issue.path === "password" || issue.path === "totp") {
            byField[issue.path] = issue.message;
          }
        }
        setFieldErrors(byField);
        setFormError({ title: t("error.badRequest") });
      } else if (error.status === 401) {
        // Another 401 (e.g. a lock reported as 401): show the server's explanation too.
        const detail = error.message && !error.message.startsWith("HTTP ") ? error.message : undefined;
        setFormError({ title: t("error.invalidCredentials"), detail });
      } else if (error.status === 0) {
        setFormError({ title: t("error.network") });
      } else {
        setFormError({ title: t("error.server"), detail: error.message || undefined });
      }
    }
  };

  return (
    <div className="flex min-h-dvh flex-col bg-solid-gray-50">
      <header className="border-b-4 border-blue-900 bg-white">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-4 px-6 py-3">
          <p className="text-std-20B-150 text-blue-1000">{tc("app.name")}</p>
          <LanguageSwitch />
        </div>
      </header>
      <main id="main" className="flex flex-1 items-start justify-center px-4 py-10 md:py-16">
        <div className="w-full max-w-lg rounded-16 border border-solid-gray-200 bg-white p-8 shadow-1">
          <h1 className="text-std-28B-150">{t("title")}</h1>
          <p className="mt-1 text-std-16N-170 text-solid-gray-700">{t("lead")}</p>

          {formError ? (
            <Alert tone="error" title={formError.title} className="mt-6" testId="login-error">
              {formError.detail}
            </Alert>
          ) : null}

          <form className="mt-6 flex flex-col gap-5" onSubmit={onSubmit} noValidate data-testid="login-form">
            <TextField
              ref={loginIdRef}
              label={t("loginId")}
              name="loginId"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              autoFocus
              value={loginId}
              onChange={(e) => setLoginId(e.currentTarget.value)}
              error={fieldErrors.loginId}
            />
            <TextField
              ref={passwordRef}
              label={t("password")}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={fieldErrors.password}
            />
            {needTotp ? (
              <TextField
                ref={totpRef}
                label={t("totp")}
                hint={t("totpHint")}
                name="totp"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9]{6}"
                maxLength={6}
                required
                value={totp}
                onChange={(e) => setTotp(e.currentTarget.value.replace(/\D/g, "").slice(0, 6))}
                error={fieldErrors.totp}
                inputClassName="tracking-[0.3em] max-w-48"
              />
            ) : null}
            <Button type="submit" size="lg" busy={busy} className="mt-2 w-full" data-testid="login-submit">
              {busy ? t("submitting") : t("submit")}
            </Button>
          </form>
        </div>
      </main>
    </div>
  );
}
