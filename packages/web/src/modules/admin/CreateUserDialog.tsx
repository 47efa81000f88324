import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { fieldErrors, isApiError } from "../../app/api.ts";
import { type Role, roles } from "../../app/auth.ts";
import { jurisdictionsQueryOptions } from "../../app/reference.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Dialog, DialogActions } from "../../app/ui/Dialog.tsx";
import { bindFields, useDraft } from "../../app/ui/form.ts";
import { SecretsShownOnce } from "../../app/ui/SecretsShownOnce.tsx";
import { Select, type SelectOptionGroup } from "../../app/ui/Select.tsx";
import { TextField } from "../../app/ui/TextField.tsx";
import { adminApi, adminKeys, type CreateUserRequest, type CreateUserResponse } from "./api.ts";
import { FacilityPicker } from "./FacilityPicker.tsx";

type Form = {
  loginId: string;
  displayName: string;
  role: Role | "";
  healthCenterId: string;
  facilityId: string;
  prefectureCode: string;
};

const emptyForm: Form = {
  loginId: "",
  displayName: "",
  role: "",
  healthCenterId: "",
  facilityId: "",
  prefectureCode: "",
};

type Errors = Partial<Record<keyof CreateUserRequest | "form", string>>;

/** Which affiliation a role needs. */
function affiliationFor(role: Role | ""): "healthCenter" | "facility" | "prefecture" | "none" | null {
  switch (role) {
    case "health_center":
      return "healthCenter";
    case "clinic":
    case "hospital":
      return "facility";
    case "prefecture":
      return "prefecture";
    case "national":
    case "admin":
      return "none";
    default:
      return null;
  }
}

export function CreateUserDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation("common");
  const queryClient = useQueryClient();
  const { draft: form, setDraft: setForm, set: setField } = useDraft<Form>(emptyForm);
  const [errors, setErrors] = useState<Errors>({});
  const [created, setCreated] = useState<(CreateUserResponse & { loginId: string }) | null>(null);

  const affiliation = affiliationFor(form.role);
  const jurisdictions = useQuery({ ...jurisdictionsQueryOptions, enabled: open });

  const prefectureOptions = useMemo(
    () =>
      (jurisdictions.data?.prefectures ?? []).map((p) => ({ value: p.code, label: `${p.code} ${p.name}` })),
    [jurisdictions.data],
  );
  const healthCenterGroups = useMemo<SelectOptionGroup[]>(() => {
    const data = jurisdictions.data;
    if (!data) return [];
    return data.prefectures
      .map((p) => ({
        label: p.name,
        options: data.healthCenters
          .filter((h) => h.prefectureCode === p.code)
          .map((h) => ({ value: h.id, label: h.name })),
      }))
      .filter((g) => g.options.length > 0);
  }, [jurisdictions.data]);

  // A field's own message goes once it is changed.
  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setField(key, value);
    setErrors((e) => ({ ...e, [key]: undefined }));
  };
  const field = bindFields(form, set, errors);
  // The id lets a refused submit move the focus to the first field it names.
  const bound = (key: "loginId" | "displayName" | "healthCenterId" | "facilityId" | "prefectureCode") => ({
    id: `create-user-${key}`,
    ...field.text(key),
  });
  const choose = jurisdictions.isPending ? tc("loading") : tc("form.choose");

  const mutation = useMutation({
    mutationFn: adminApi.createUser,
    onSuccess: (result, body) => {
      setCreated({ ...result, loginId: body.loginId });
      void queryClient.invalidateQueries({ queryKey: adminKeys.users });
    },
    onError: (error) => {
      const byField = fieldErrors(error);
      const next: Errors = {};
      for (const key of [
        "loginId",
        "displayName",
        "role",
        "healthCenterId",
        "facilityId",
        "prefectureCode",
      ] as const) {
        if (byField[key]) next[key] = byField[key];
      }
      if (isApiError(error) && error.status === 409 && !next.loginId) {
        next.loginId = t("users.create.loginIdTaken");
      }
      setErrors(next);
    },
  });

  const validate = (): Errors => {
    const e: Errors = {};
    if (!form.loginId.trim()) e.loginId = t("users.create.required");
    else if (!/^[A-Za-z0-9._@-]{3,64}$/.test(form.loginId.trim()))
      e.loginId = t("users.create.loginIdFormat");
    if (!form.displayName.trim()) e.displayName = t("users.create.required");
    if (!form.role) e.role = t("users.create.required");
    if (affiliation === "healthCenter" && !form.healthCenterId) e.healthCenterId = t("users.create.required");
    if (affiliation === "facility" && !form.facilityId) e.facilityId = t("users.create.required");
    if (affiliation === "prefecture" && !form.prefectureCode) e.prefectureCode = t("users.create.required");
    return e;
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const e = validate();
    setErrors(e);
    if (Object.keys(e).length > 0) {
      const first = Object.keys(e)[0];
      document.getElementById(`create-user-${first}`)?.focus();
      return;
    }
    const body: CreateUserRequest = {
      loginId: form.loginId.trim(),
      displayName: form.displayName.trim(),
      role: form.role as Role,
    };
    if (affiliation === "healthCenter") body.healthCenterId = form.healthCenterId;
    if (affiliation === "facility") body.facilityId = form.facilityId;
    if (affiliation === "prefecture") body.prefectureCode = form.prefectureCode;
    mutation.mutate(body);
  };

  const close = () => {
    setForm(emptyForm);
    setErrors({});
    setCreated(null);
    mutation.reset();
    onClose();
  };

  const showGeneralError = mutation.error && Object.values(errors).every((v) => !v);

  return (
    <Dialog
      open={open}
      onClose={close}
      dismissable={!mutation.isPending}
      size="md"
      title={created ? t("users.create.doneTitle") : t("users.create.title")}
      footer={
        <DialogActions
          onCancel={close}
          done={!!created}
          doneTestId="create-user-done"
          form="create-user-form"
          busy={mutation.isPending}
          data-testid="create-user-submit"
        >
          {t("users.create.submit")}
        </DialogActions>
      }
    >
      {created ? (
        <SecretsShownOnce
          testId="create-user-result"
          done={t("users.create.done", { loginId: created.loginId })}
          values={[
            { label: t("users.field.loginId"), value: created.loginId, testId: "result-login-id" },
            { label: t("secret.initialPassword"), value: created.initialPassword, testId: "result-password" },
          ]}
          handOver={t("secret.handOver")}
        >
          <p className="text-std-16N-170" data-testid="result-totp-note">
            {t("secret.totpSelf")}
          </p>
          {created.passwordChangeRequired && (
            <p className="text-std-16N-170" data-testid="result-password-note">
              {t("secret.passwordSelf")}
            </p>
          )}
        </SecretsShownOnce>
      ) : (
        <form id="create-user-form" noValidate onSubmit={submit} className="flex flex-col gap-5">
          {showGeneralError ? <ErrorAlert error={mutation.error} /> : null}
          <TextField
            label={t("users.field.loginId")}
            hint={t("users.create.loginIdHint")}
            required
            autoComplete="off"
            spellCheck={false}
            autoCapitalize="none"
            {...bound("loginId")}
          />
          <TextField
            label={t("users.field.displayName")}
            required
            autoComplete="off"
            {...bound("displayName")}
          />
          <Select
            id="create-user-role"
            label={t("users.field.role")}
            required
            placeholder={tc("form.choose")}
            options={roles.map((r) => ({ value: r, label: tc(`role.${r}`) }))}
            {...field.text("role")}
            onChange={(e) => {
              const role = e.currentTarget.value as Role | "";
              setForm((f) => ({ ...f, role, healthCenterId: "", facilityId: "", prefectureCode: "" }));
              setErrors((er) => ({
                ...er,
                role: undefined,
                healthCenterId: undefined,
                facilityId: undefined,
              }));
            }}
          />

          {affiliation && affiliation !== "none" && jurisdictions.isError ? (
            <ErrorAlert error={jurisdictions.error} />
          ) : null}

          {affiliation === "healthCenter" ? (
            <Select
              label={t("users.field.healthCenter")}
              required
              placeholder={choose}
              groups={healthCenterGroups}
              {...bound("healthCenterId")}
            />
          ) : null}

          {affiliation === "prefecture" ? (
            <Select
              label={t("users.field.prefecture")}
              required
              placeholder={choose}
              options={prefectureOptions}
              {...bound("prefectureCode")}
            />
          ) : null}

          {affiliation === "facility" ? (
            <FacilityPicker
              id="create-user-facilityId"
              texts="users"
              legend={t("users.field.facility")}
              label={t(form.role === "hospital" ? "users.create.hospital" : "users.create.clinic")}
              kinds={form.role === "hospital" ? ["hospital"] : ["clinic"]}
              value={form.facilityId}
              onChange={(id) => set("facilityId", id)}
              error={errors.facilityId}
            />
          ) : null}

          {affiliation === "none" ? (
            <p className="text-std-16N-170">{t("users.create.noAffiliation")}</p>
          ) : null}
        </form>
      )}
    </Dialog>
  );
}
