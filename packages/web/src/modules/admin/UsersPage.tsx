import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { type FormEvent, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { roles } from "../../app/auth.ts";
import { ActionMenu } from "../../app/ui/ActionMenu.tsx";
import { Badge } from "../../app/ui/Badge.tsx";
import { Button } from "../../app/ui/Button.tsx";
import { createDataColumnHelper } from "../../app/ui/DataTable.tsx";
import { DateTimeText } from "../../app/ui/DateText.tsx";
import { PagedTable } from "../../app/ui/PagedTable.tsx";
import { PageHeader } from "../../app/ui/PageHeader.tsx";
import { inputClass } from "../../app/ui/TextField.tsx";
import { type AdminUser, adminKeys, type UserImportReply, usersQueryOptions } from "./api.ts";
import { BulkUsersResult } from "./BulkUsersResult.tsx";
import { CreateUserDialog } from "./CreateUserDialog.tsx";
import { CsvImportDialog } from "./CsvImportDialog.tsx";
import { type UserAction, UserActionDialog } from "./UserActionDialog.tsx";

const routeApi = getRouteApi("/staff/admin/users");
const column = createDataColumnHelper<AdminUser>();

type Status = "active" | "disabled" | "locked";

function statusOf(user: AdminUser, now: number): Status {
  if (user.disabled) return "disabled";
  if (user.lockedUntil && Date.parse(user.lockedUntil) > now) return "locked";
  return "active";
}

export function UsersPage() {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation("common");
  const { q = "" } = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const [draft, setDraft] = useState(q);
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const client = useQueryClient();
  const [pending, setPending] = useState<{ action: UserAction; user: AdminUser } | null>(null);

  const query = useInfiniteQuery(usersQueryOptions(q));

  const columns = useMemo(() => {
    const now = Date.now();
    return [
      column.accessor("loginId", {
        header: t("users.field.loginId"),
        filterFn: "includesString",
        meta: { cellClassName: "font-mono whitespace-nowrap" },
      }),
      column.accessor("displayName", { header: t("users.field.displayName"), filterFn: "includesString" }),
      column.accessor("role", {
        header: t("users.field.role"),
        filterFn: "equalsString",
        cell: (c) => tc(`role.${c.getValue()}`),
        meta: {
          filter: { kind: "select", options: roles.map((r) => ({ value: r, label: tc(`role.${r}`) })) },
          cellClassName: "whitespace-nowrap",
        },
      }),
      column.accessor((u) => u.affiliation?.name ?? "", {
        id: "affiliation",
        header: t("users.field.affiliation"),
        filterFn: "includesString",
      }),
      column.accessor((u) => statusOf(u, now), {
        id: "status",
        header: t("users.field.status"),
        filterFn: "equalsString",
        cell: (c) => {
          const status = c.getValue();
          const user = c.row.original;
          return (
            <span className="flex flex-col items-start gap-1">
              <Badge tone={status === "active" ? "success" : status === "locked" ? "warning" : "danger"}>
                {t(`users.status.${status}`)}
              </Badge>
              {status === "locked" && user.lockedUntil ? (
                <span className="text-dns-14N-130 text-solid-gray-700">
                  {t("users.lockedUntil")} <DateTimeText value={user.lockedUntil} />
                </span>
              ) : null}
            </span>
          );
        },
        meta: {
          filter: {
            kind: "select",
            options: (["active", "locked", "disabled"] as const).map((s) => ({
              value: s,
              label: t(`users.status.${s}`),
            })),
          },
        },
      }),
      column.accessor((u) => (u.totpForced ? "forced" : "optional"), {
        id: "totp",
        header: t("users.field.totp"),
        filterFn: "equalsString",
        cell: (c) =>
          c.getValue() === "forced" ? (
            <Badge tone="info">{t("users.totp.forced")}</Badge>
          ) : (
            t("users.totp.optional")
          ),
        meta: {
          filter: {
            kind: "select",
            options: [
              { value: "forced", label: t("users.totp.forced") },
              { value: "optional", label: t("users.totp.optional") },
            ],
          },
          cellClassName: "whitespace-nowrap",
        },
      }),
      column.accessor("createdAt", {
        header: t("users.field.createdAt"),
        sortFn: "text",
        enableColumnFilter: false,
        cell: (c) => <DateTimeText value={c.getValue()} />,
        meta: { filter: false },
      }),
      column.display({
        id: "actions",
        header: t("users.field.actions"),
        cell: (c) => {
          const user = c.row.original;
          const open = (action: UserAction) => () => setPending({ action, user });
          const toggle: UserAction = user.disabled ? "enable" : "disable";
          return (
            <ActionMenu
              label={t("users.field.actions")}
              accessibleLabel={t("actions.menuLabel", { name: user.displayName })}
              testId={`user-actions-${user.loginId}`}
              items={[
                {
                  key: toggle,
                  label: t(`actions.${toggle}.button`),
                  onSelect: open(toggle),
                  tone: toggle === "disable" ? "danger" : "default",
                  testId: `action-${toggle}`,
                },
                {
                  key: "resetPassword",
                  label: t("actions.resetPassword.button"),
                  onSelect: open("resetPassword"),
                  testId: "action-reset-password",
                },
                {
                  key: "forceTotp",
                  label: t("actions.forceTotp.button"),
                  onSelect: open("forceTotp"),
                  testId: "action-force-totp",
                },
              ]}
            />
          );
        },
        meta: { filter: false },
      }),
    ];
  }, [t, tc]);

  const search = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void navigate({ search: { q: draft.trim() || undefined } });
  };

  return (
    <>
      <PageHeader
        title={t("users.title")}
        description={t("users.description")}
        actions={
          <>
            <Button variant="secondary" onClick={() => setImporting(true)} data-testid="import-users">
              {t("bulk.open")}
            </Button>
            <Button onClick={() => setCreating(true)} data-testid="create-user">
              {t("users.create.open")}
            </Button>
          </>
        }
      />

      <search>
        <form onSubmit={search} className="mb-6 flex flex-wrap items-end gap-3">
          <div className="flex min-w-72 flex-col gap-1">
            <label htmlFor="users-q" className="text-std-16B-170 text-solid-gray-800">
              {t("users.search.label")}
            </label>
            <input
              id="users-q"
              type="search"
              value={draft}
              onChange={(e) => setDraft(e.currentTarget.value)}
              className={inputClass}
            />
          </div>
          <Button type="submit" variant="secondary">
            {tc("action.search")}
          </Button>
          {q ? (
            <Button
              variant="tertiary"
              onClick={() => {
                setDraft("");
                void navigate({ search: {} });
              }}
            >
              {t("users.search.clear")}
            </Button>
          ) : null}
        </form>
      </search>

      <PagedTable
        query={query}
        caption={t("users.title")}
        columns={columns}
        getRowId={(u) => u.id}
        initialSorting={[{ id: "loginId", desc: false }]}
        empty={q ? t("users.emptySearch", { q }) : t("users.empty")}
        testId="users-table"
      />

      <CreateUserDialog open={creating} onClose={() => setCreating(false)} />
      <CsvImportDialog<UserImportReply>
        open={importing}
        onClose={() => setImporting(false)}
        title={t("bulk.title")}
        description={t("bulk.description")}
        path="/admin/users/import"
        previewHeaders={[
          t("users.field.loginId"),
          t("users.field.displayName"),
          t("users.field.role"),
          t("users.field.affiliation"),
        ]}
        previewCells={(r) => [r.loginId, r.displayName, tc(`role.${r.role}`), r.affiliation]}
        result={(rows) => <BulkUsersResult rows={rows} />}
        onImported={() => void client.invalidateQueries({ queryKey: adminKeys.users })}
        testId="users-import-dialog"
      />
      <UserActionDialog
        action={pending?.action ?? null}
        user={pending?.user ?? null}
        onClose={() => setPending(null)}
      />
    </>
  );
}
