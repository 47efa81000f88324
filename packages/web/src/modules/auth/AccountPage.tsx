import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, fieldErrors } from "../../app/api.ts";
import { meQueryKey, useMe } from "../../app/auth.ts";
import { Alert, ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { PageHeader } from "../../app/ui/PageHeader.tsx";
import { TextField } from "../../app/ui/TextField.tsx";
import { TotpEnrolment } from "./TotpEnrolment.tsx";

// アカウント設定: each user changes their own password and enrols their own second factor; the
// administrator never sees a secret. Outside demo mode a first sign-in lands here until the
// second factor is confirmed.

export function AccountPage() {
  const { t } = useTranslation("auth");
  const me = useMe();
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("account.title")} description={t("account.description")} />
      {me.totpEnrolmentRequired ? (
        <Alert tone="warning" title={t("account.enrolRequired")} testId="enrol-required" />
      ) : null}
      {me.passwordChangeRequired ? (
        <Alert tone="warning" title={t("account.passwordChangeRequired")} testId="password-change-required" />
      ) : null}
      <div className="grid grid-cols-1 gap-8 lg:grid-cols-2">
        <TotpEnrolment />
        <PasswordSection />
      </div>
    </div>
  );
}

function PasswordSection() {
  const { t } = useTranslation("auth");
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const queryClient = useQueryClient();
  const change = useMutation({
    mutationFn: () => api.post<void>("/me/password", { currentPassword: current, newPassword: next }),
    onSuccess: async () => {
      setCurrent("");
      setNext("");
      // A replaced reset password lifts the session's restriction: the menu works again.
      await queryClient.invalidateQueries({ queryKey: meQueryKey });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    change.mutate();
  };
  const errors = fieldErrors(change.error);
  return (
    <section className="flex flex-col gap-4" aria-labelledby="password-heading">
      <h2 id="password-heading" className="text-std-20B-150">
        {t("account.passwordTitle")}
      </h2>
      <form className="flex flex-col gap-3" onSubmit={submit} noValidate>
        <TextField
          label={t("account.currentPassword")}
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.currentTarget.value)}
          error={errors.currentPassword}
        />
        <TextField
          label={t("account.newPassword")}
          hint={t("account.newPasswordHint")}
          type="password"
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.currentTarget.value)}
          error={errors.newPassword}
        />
        {/* The reason stands at its field (12 文字以上, 現在のパスワードが正しくありません). */}
        {Object.keys(errors).length === 0 ? <ErrorAlert error={change.error} /> : null}
        {change.isSuccess ? <Alert tone="success" title={t("account.passwordChanged")} /> : null}
        <Button type="submit" busy={change.isPending}>
          {t("account.passwordSave")}
        </Button>
      </form>
    </section>
  );
}
