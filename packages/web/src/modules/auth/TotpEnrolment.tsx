import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, fieldErrors } from "../../app/api.ts";
import { meQueryKey } from "../../app/auth.ts";
import { Alert, ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { TextField } from "../../app/ui/TextField.tsx";

type TotpStatus = { enrolled: boolean; recoveryCodesLeft: number };

/**
 * Enrols the signed-in user's own second factor: a fresh secret shown once, confirmed by a
 * code from the authenticator; then one-time recovery codes. `after` follows the codes (the
 * first-login page's way on).
 */
export function TotpEnrolment({ after }: { after?: ReactNode }) {
  const { t } = useTranslation("auth");
  const client = useQueryClient();
  const status = useQuery({
    queryKey: ["me", "totp"],
    queryFn: ({ signal }) => api.get<TotpStatus>("/me/totp", { signal }),
  });
  const [code, setCode] = useState("");
  // Replacing an enrolled factor asks for the password: a session left open must not move it.
  const [password, setPassword] = useState("");
  const enrolled = status.data?.enrolled ?? false;
  const start = useMutation({
    mutationFn: () =>
      api.post<{ secret: string; uri: string }>(
        "/me/totp/start",
        enrolled ? { currentPassword: password } : {},
      ),
  });
  const startErrors = fieldErrors(start.error);
  const confirm = useMutation({
    mutationFn: () => api.post<{ recoveryCodes: string[] }>("/me/totp/confirm", { code: code.trim() }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: meQueryKey });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    confirm.mutate();
  };
  return (
    <section className="flex flex-col gap-4" aria-labelledby="totp-heading" data-testid="totp-section">
      <h2 id="totp-heading" className="text-std-20B-150">
        {t("account.totpTitle")}
      </h2>
      <p className="text-std-16N-170">
        {status.data?.enrolled
          ? t("account.totpEnrolled", { count: status.data.recoveryCodesLeft })
          : t("account.totpNotEnrolled")}
      </p>
      {confirm.isSuccess ? (
        <Alert tone="success" title={t("account.totpDone")} testId="totp-done">
          <p>{t("account.recoveryCodes")}</p>
          <ul className="mt-2 grid grid-cols-2 gap-1 font-mono" data-testid="recovery-codes">
            {confirm.data.recoveryCodes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
      {confirm.isSuccess ? (
        after
      ) : start.data ? (
        <form className="flex flex-col gap-3" onSubmit={submit} noValidate>
          <p className="text-std-16N-170">{t("account.totpScan")}</p>
          <p
            className="break-all rounded-8 bg-solid-gray-50 p-3 font-mono text-dns-16N-130"
            data-testid="totp-secret"
          >
            {start.data.secret}
          </p>
          <a className="text-blue-1000 underline" href={start.data.uri}>
            {t("account.totpOpenApp")}
          </a>
          <TextField
            label={t("totp")}
            hint={t("totpHint")}
            inputMode="numeric"
            autoComplete="one-time-code"
            value={code}
            onChange={(e) => setCode(e.currentTarget.value.normalize("NFKC"))}
            data-testid="totp-code"
          />
          <ErrorAlert error={confirm.error} />
          <Button type="submit" busy={confirm.isPending} data-testid="totp-confirm">
            {t("account.totpConfirm")}
          </Button>
        </form>
      ) : (
        <form
          className="flex flex-col gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            start.mutate();
          }}
          noValidate
        >
          {enrolled ? (
            <TextField
              label={t("account.currentPassword")}
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={startErrors.currentPassword}
              data-testid="totp-current-password"
            />
          ) : null}
          {Object.keys(startErrors).length === 0 ? <ErrorAlert error={start.error} /> : null}
          <Button type="submit" busy={start.isPending} data-testid="totp-start">
            {enrolled ? t("account.totpRenew") : t("account.totpStart")}
          </Button>
        </form>
      )}
    </section>
  );
}
