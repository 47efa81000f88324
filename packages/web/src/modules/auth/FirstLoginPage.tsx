import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, fieldErrors, isApiError } from "../../app/api.ts";
import { login, meQueryKey } from "../../app/auth.ts";
import { LanguageSwitch } from "../../app/LanguageSwitch.tsx";
import { Alert, ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { Loading } from "../../app/ui/Loading.tsx";
import { TextField } from "../../app/ui/TextField.tsx";
import { TotpEnrolment } from "./TotpEnrolment.tsx";

type FirstLoginInfo = { loginId: string; displayName: string; totpRequired: boolean };

// The token travels in the URL's fragment, which browsers never send to a server or a Referer.
const tokenOf = () => (typeof window === "undefined" ? "" : window.location.hash.replace(/^#/, ""));

const steps = ["password", "totp"] as const;
type Step = (typeof steps)[number];

/**
 * 初回ログイン: a bulk-created account's link. The person chooses a password, is signed in with
 * it, enrols the second factor as アカウント設定 does, and goes on to the home screen.
 */
export function FirstLoginPage() {
  const { t } = useTranslation("auth");
  const { t: tc } = useTranslation("common");
  const [token] = useState(tokenOf);
  const [step, setStep] = useState<Step>("password");
  const info = useQuery({
    queryKey: ["first-login", token],
    queryFn: ({ signal }) =>
      api.get<FirstLoginInfo>(`/auth/first-login/${token}`, { signal, on401: "throw" }),
    enabled: token.length > 0,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
  useEffect(() => {
    document.title = `${t("firstLogin.title")} | ${tc("app.name")}`;
  }, [t, tc]);

  return (
    <div className="flex min-h-dvh flex-col bg-solid-gray-50">
      <header className="border-b-4 border-blue-900 bg-white">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-4 px-6 py-3">
          <p className="text-std-20B-150 text-blue-1000">{tc("app.name")}</p>
          <LanguageSwitch />
        </div>
      </header>
      <main id="main" className="flex flex-1 items-start justify-center px-4 py-10 md:py-16">
        <div className="w-full max-w-2xl rounded-16 border border-solid-gray-200 bg-white p-8 shadow-1">
          <h1 className="text-std-28B-150">{t("firstLogin.title")}</h1>
          {!token ? (
            <Alert tone="error" className="mt-6" title={t("firstLogin.noToken")} testId="first-login-error" />
          ) : info.isPending ? (
            <Loading />
          ) : info.isError ? (
            <Alert tone="error" className="mt-6" title={t("firstLogin.invalid")} testId="first-login-error">
              {isApiError(info.error) && info.error.status === 404 ? info.error.message : null}
            </Alert>
          ) : (
            <>
              <p className="mt-1 text-std-16N-170 text-solid-gray-700">
                {t("firstLogin.lead", { name: info.data.displayName, loginId: info.data.loginId })}
              </p>
              {info.data.totpRequired ? (
                <ol className="mt-4 flex flex-wrap gap-2" aria-label={t("firstLogin.stepsLabel")}>
                  {steps.map((s, i) => (
                    <li
                      key={s}
                      aria-current={s === step ? "step" : undefined}
                      className="rounded-full border border-solid-gray-420 px-3 py-1 text-dns-14N-130 aria-[current=step]:border-blue-900 aria-[current=step]:bg-blue-50 aria-[current=step]:font-bold"
                    >
                      {i + 1}. {t(`firstLogin.step.${s}`)}
                    </li>
                  ))}
                </ol>
              ) : null}
              <div className="mt-6">
                {step === "password" ? (
                  <PasswordStep token={token} info={info.data} onDone={() => setStep("totp")} />
                ) : (
                  <TotpEnrolment after={<ContinueHome />} />
                )}
              </div>
            </>
          )}
        </div>
      </main>
    </div>
  );
}

function PasswordStep({ token, info, onDone }: { token: string; info: FirstLoginInfo; onDone: () => void }) {
  const { t } = useTranslation("auth");
  const client = useQueryClient();
  const navigate = useNavigate();
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const submit = useMutation({
    mutationFn: async () => {
      await api.post(`/auth/first-login/${token}`, { password }, { on401: "throw" });
      // Signed in with the new password: outside demo mode a session that may only enrol.
      await login({ loginId: info.loginId, password });
    },
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: meQueryKey });
      if (info.totpRequired) onDone();
      else void navigate({ to: "/" });
    },
  });
  const errors = fieldErrors(submit.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const differs = password !== repeat;
    setMismatch(differs);
    if (!differs) submit.mutate();
  };
  return (
    <form className="flex flex-col gap-5" onSubmit={onSubmit} noValidate data-testid="first-login-form">
      <input type="text" hidden readOnly autoComplete="username" value={info.loginId} />
      <TextField
        label={t("account.newPassword")}
        hint={t("account.newPasswordHint")}
        type="password"
        autoComplete="new-password"
        required
        value={password}
        onChange={(e) => setPassword(e.currentTarget.value)}
        error={errors.password}
        data-testid="first-login-password"
      />
      <TextField
        label={t("firstLogin.repeat")}
        type="password"
        autoComplete="new-password"
        required
        value={repeat}
        onChange={(e) => setRepeat(e.currentTarget.value)}
        error={mismatch ? t("firstLogin.mismatch") : undefined}
        data-testid="first-login-repeat"
      />
      <ErrorAlert error={errors.password ? null : submit.error} />
      <Button type="submit" size="lg" busy={submit.isPending} data-testid="first-login-submit">
        {t("firstLogin.setPassword")}
      </Button>
    </form>
  );
}

function ContinueHome() {
  const { t } = useTranslation("auth");
  const navigate = useNavigate();
  return (
    <Button size="lg" onClick={() => void navigate({ to: "/" })} data-testid="first-login-home">
      {t("firstLogin.home")}
    </Button>
  );
}
