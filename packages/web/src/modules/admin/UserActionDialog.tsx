import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Alert, ErrorAlert } from "../../app/ui/Alert.tsx";
import { Dialog, DialogActions } from "../../app/ui/Dialog.tsx";
import { SecretsShownOnce } from "../../app/ui/SecretsShownOnce.tsx";
import { type AdminUser, adminApi, adminKeys } from "./api.ts";

export type UserAction = "disable" | "enable" | "resetPassword" | "forceTotp";

type Result =
  | { action: "disable" | "enable"; user: AdminUser }
  | { action: "resetPassword"; password: string }
  | { action: "forceTotp" };

function run(action: UserAction, user: AdminUser): Promise<Result> {
  switch (action) {
    case "disable":
    case "enable":
      return adminApi.setDisabled(user.id, action === "disable").then((u) => ({ action, user: u }));
    case "resetPassword":
      return adminApi.resetPassword(user.id).then((r) => ({ action, password: r.password }));
    case "forceTotp":
      return adminApi.forceTotp(user.id).then(() => ({ action }));
  }
}

/** Confirm, run, and show the result of one account action, all in one dialog. */
export function UserActionDialog({
  action,
  user,
  onClose,
}: {
  action: UserAction | null;
  user: AdminUser | null;
  onClose: () => void;
}) {
  const { t } = useTranslation("admin");
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => run(action!, user!),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminKeys.users }),
  });
  const open = action !== null && user !== null;
  const close = () => {
    mutation.reset();
    onClose();
  };
  if (!open) return <Dialog open={false} onClose={close} title="" />;

  const result = mutation.data;
  const name = `${user.displayName}（${user.loginId}）`;

  return (
    <Dialog
      open
      onClose={close}
      dismissable={!mutation.isPending}
      size="md"
      title={t(`actions.${action}.title`)}
      footer={
        <DialogActions
          onCancel={close}
          done={!!result}
          doneTestId="action-done"
          variant={action === "disable" ? "danger" : "primary"}
          busy={mutation.isPending}
          onClick={() => mutation.mutate()}
          data-testid="action-confirm"
        >
          {t(`actions.${action}.confirm`)}
        </DialogActions>
      }
    >
      {!result ? (
        <div className="flex flex-col gap-4">
          <p className="text-std-16N-170">{t(`actions.${action}.question`, { name })}</p>
          {mutation.error ? <ErrorAlert error={mutation.error} /> : null}
        </div>
      ) : "user" in result ? (
        <Alert tone="success" title={t(`actions.${result.action}.done`, { name })} testId="action-result" />
      ) : "password" in result ? (
        <SecretsShownOnce
          testId="action-result"
          done={t("actions.resetPassword.done", { name })}
          values={[{ label: t("secret.password"), value: result.password, testId: "result-password" }]}
          handOver={t("secret.handOver")}
        />
      ) : (
        <div className="flex flex-col gap-4" data-testid="action-result">
          <Alert tone="success" title={t("actions.forceTotp.done", { name })} />
          <p className="text-std-16N-170">{t("secret.totpSelf")}</p>
        </div>
      )}
    </Dialog>
  );
}
