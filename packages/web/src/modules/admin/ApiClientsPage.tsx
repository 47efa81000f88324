import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { fieldErrors } from "../../app/api.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Badge } from "../../app/ui/Badge.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { createDataColumnHelper } from "../../app/ui/DataTable.tsx";
import { DateTimeText } from "../../app/ui/DateText.tsx";
import { Dialog, DialogActions } from "../../app/ui/Dialog.tsx";
import { PagedTable } from "../../app/ui/PagedTable.tsx";
import { PageHeader } from "../../app/ui/PageHeader.tsx";
import { SecretsShownOnce } from "../../app/ui/SecretsShownOnce.tsx";
import { TextField } from "../../app/ui/TextField.tsx";
import { type ApiClient, adminApi, adminKeys, apiClientsQueryOptions } from "./api.ts";
import { FacilityPicker } from "./FacilityPicker.tsx";

const column = createDataColumnHelper<ApiClient>();

/** 管理 › APIクライアント: facilities' machine credentials, created and revoked here. */
export function ApiClientsPage() {
  const { t } = useTranslation("admin");
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiClient | null>(null);
  const query = useInfiniteQuery(apiClientsQueryOptions);

  const columns = useMemo(
    () => [
      column.accessor("name", { header: t("apiClients.field.name"), filterFn: "includesString" }),
      column.accessor((c) => c.facility.name, {
        id: "facility",
        header: t("apiClients.field.facility"),
        filterFn: "includesString",
      }),
      column.accessor((c) => c.createdBy?.displayName ?? "", {
        id: "createdBy",
        header: t("apiClients.field.createdBy"),
        filterFn: "includesString",
      }),
      column.accessor("createdAt", {
        header: t("apiClients.field.createdAt"),
        sortFn: "text",
        cell: (c) => <DateTimeText value={c.getValue()} />,
        meta: { filter: false },
      }),
      column.accessor((c) => c.lastUsedAt ?? "", {
        id: "lastUsedAt",
        header: t("apiClients.field.lastUsedAt"),
        sortFn: "text",
        cell: (c) => (c.getValue() ? <DateTimeText value={c.getValue()} /> : t("apiClients.never")),
        meta: { filter: false },
      }),
      column.accessor((c) => (c.revokedAt ? "revoked" : "active"), {
        id: "status",
        header: t("apiClients.field.status"),
        filterFn: "equalsString",
        cell: (c) => {
          const client = c.row.original;
          return (
            <span className="flex flex-col items-start gap-1">
              <Badge tone={client.revokedAt ? "danger" : "success"}>
                {t(`apiClients.status.${c.getValue()}`)}
              </Badge>
              {client.revokedAt ? (
                <span className="text-dns-14N-130 text-solid-gray-700">
                  <DateTimeText value={client.revokedAt} />{" "}
                  {client.revokedBy
                    ? t("apiClients.revokedBy", { name: client.revokedBy.displayName })
                    : null}
                </span>
              ) : null}
            </span>
          );
        },
        meta: {
          filter: {
            kind: "select",
            options: (["active", "revoked"] as const).map((s) => ({
              value: s,
              label: t(`apiClients.status.${s}`),
            })),
          },
        },
      }),
      column.display({
        id: "actions",
        header: t("apiClients.field.actions"),
        cell: (c) =>
          c.row.original.revokedAt ? null : (
            <Button
              variant="secondary"
              size="sm"
              onClick={() => setRevoking(c.row.original)}
              data-testid={`revoke-${c.row.original.id}`}
            >
              {t("apiClients.revoke.button")}
            </Button>
          ),
        meta: { filter: false },
      }),
    ],
    [t],
  );

  return (
    <>
      <PageHeader
        title={t("apiClients.title")}
        description={t("apiClients.description")}
        actions={
          <Button onClick={() => setCreating(true)} data-testid="create-api-client">
            {t("apiClients.open")}
          </Button>
        }
      />
      <PagedTable
        query={query}
        caption={t("apiClients.title")}
        columns={columns}
        getRowId={(c) => c.id}
        empty={t("apiClients.empty")}
        testId="api-clients-table"
      />
      <CreateApiClientDialog open={creating} onClose={() => setCreating(false)} />
      <RevokeApiClientDialog client={revoking} onClose={() => setRevoking(null)} />
    </>
  );
}

type Form = { name: string; facilityId: string };
const emptyForm: Form = { name: "", facilityId: "" };

/** Like the create-user dialog: the form, then the credential shown once. */
function CreateApiClientDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation("admin");
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Form>(emptyForm);
  const [errors, setErrors] = useState<Partial<Record<"name" | "facilityId", string>>>({});
  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors((e) => ({ ...e, [key]: undefined }));
  };

  const mutation = useMutation({
    mutationFn: adminApi.createApiClient,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: adminKeys.apiClients }),
    onError: (error) => {
      const byField = fieldErrors(error);
      setErrors({ name: byField.name, facilityId: byField.facilityId });
    },
  });
  const created = mutation.data;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const next = {
      name: form.name.trim() ? undefined : t("apiClients.create.required"),
      facilityId: form.facilityId ? undefined : t("apiClients.create.required"),
    };
    setErrors(next);
    const first = (["name", "facilityId"] as const).find((k) => next[k]);
    if (first) {
      document.getElementById(`api-client-${first}`)?.focus();
      return;
    }
    mutation.mutate({ name: form.name.trim(), facilityId: form.facilityId });
  };
  const close = () => {
    setForm(emptyForm);
    setErrors({});
    mutation.reset();
    onClose();
  };
  const generalError = mutation.error && !errors.name && !errors.facilityId;

  return (
    <Dialog
      open={open}
      onClose={close}
      dismissable={!mutation.isPending}
      size="md"
      title={created ? t("apiClients.create.doneTitle") : t("apiClients.create.title")}
      footer={
        <DialogActions
          onCancel={close}
          done={!!created}
          doneTestId="api-client-done"
          form="api-client-form"
          busy={mutation.isPending}
          data-testid="api-client-submit"
        >
          {t("apiClients.create.submit")}
        </DialogActions>
      }
    >
      {created ? (
        <SecretsShownOnce
          testId="api-client-result"
          done={t("apiClients.create.done", { name: created.name, facility: created.facility.name })}
          values={[
            { label: t("apiClients.field.clientId"), value: created.clientId, testId: "result-client-id" },
            {
              label: t("apiClients.field.clientSecret"),
              value: created.clientSecret,
              testId: "result-client-secret",
            },
          ]}
          handOver={t("apiClients.create.secretNote")}
        >
          <p className="text-std-16N-170">{t("apiClients.create.scopeNote")}</p>
        </SecretsShownOnce>
      ) : (
        <form id="api-client-form" noValidate onSubmit={submit} className="flex flex-col gap-5">
          {generalError ? <ErrorAlert error={mutation.error} /> : null}
          <TextField
            id="api-client-name"
            label={t("apiClients.field.name")}
            hint={t("apiClients.create.nameHint")}
            placeholder={t("apiClients.create.namePlaceholder")}
            required
            autoComplete="off"
            value={form.name}
            onChange={(e) => set("name", e.currentTarget.value)}
            error={errors.name}
          />
          <FacilityPicker
            id="api-client-facilityId"
            texts="apiClients"
            legend={t("apiClients.field.facility")}
            label={t("apiClients.field.facility")}
            kinds={["clinic", "hospital"]}
            value={form.facilityId}
            onChange={(id) => set("facilityId", id)}
            error={errors.facilityId}
          />
        </form>
      )}
    </Dialog>
  );
}

function RevokeApiClientDialog({ client, onClose }: { client: ApiClient | null; onClose: () => void }) {
  const { t } = useTranslation("admin");
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: adminApi.revokeApiClient,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: adminKeys.apiClients });
      close();
    },
  });
  const close = () => {
    mutation.reset();
    onClose();
  };
  return (
    <Dialog
      open={client !== null}
      onClose={close}
      dismissable={!mutation.isPending}
      size="sm"
      title={t("apiClients.revoke.title")}
      footer={
        <DialogActions
          onCancel={close}
          variant="danger"
          busy={mutation.isPending}
          onClick={() => client && mutation.mutate(client.id)}
          data-testid="api-client-revoke-confirm"
        >
          {t("apiClients.revoke.confirm")}
        </DialogActions>
      }
    >
      {mutation.error ? <ErrorAlert error={mutation.error} /> : null}
      {client ? (
        <p className="text-std-16N-170">
          {t("apiClients.revoke.body", { name: client.name, facility: client.facility.name })}
        </p>
      ) : null}
    </Dialog>
  );
}
