import { auditActions, auditEntities, auditLabel, auditOutcomes } from "#domain/audit.ts";
import { audit } from "../../audit/audit.ts";
import type { Db } from "../../db/database.ts";
import { csvField } from "../../http/csv.ts";
import type { Actor } from "../../policies/actor.ts";
import * as repo from "./repository.ts";
import type { AuditFilter, AuditItem } from "./schema.ts";

/** Names in the filter (login id, case number, person) become the ids the log holds. */
async function resolve(db: Db, filter: AuditFilter): Promise<repo.ResolvedFilter> {
  const { loginId, actorId, caseNumber, caseId, personId, ...rest } = filter;
  const found = (id: string | null) => (id ? [id] : []);
  const actorSets: string[][] = [];
  if (actorId) actorSets.push([actorId]);
  if (loginId) actorSets.push(found(await repo.userIdByLoginId(db, loginId)));
  const subjectSets: string[][] = [];
  if (caseId) subjectSets.push([caseId]);
  if (caseNumber) subjectSets.push(found(await repo.caseIdByNumber(db, caseNumber)));
  if (personId) subjectSets.push(await repo.subjectIdsOfPerson(db, personId));
  return { ...rest, actorIds: intersect(actorSets), subjectIds: intersect(subjectSets) };
}

/** Several filters on one thing narrow together; no filter at all is null (everything). */
const intersect = (sets: string[][]) =>
  sets.length === 0 ? null : sets.reduce((acc, set) => acc.filter((id) => set.includes(id)));

function toItem(row: repo.AuditRow): AuditItem {
  return {
    id: String(row.id),
    at: row.at.toISOString(),
    actor:
      row.actor_id && row.login_id
        ? {
            id: row.actor_id,
            loginId: row.login_id,
            // An API client is named by what the administrator called it and its facility.
            displayName:
              row.api_client_name !== null
                ? `${row.api_client_name}（${row.api_client_facility ?? ""}）`
                : (row.display_name ?? ""),
            role: row.actor_role ?? "",
            kind: row.api_client_name !== null ? ("api_client" as const) : ("staff" as const),
          }
        : null,
    action: row.action,
    outcome: row.outcome,
    entity: row.entity,
    case:
      row.case_id && row.case_number
        ? { id: row.case_id, caseNumber: row.case_number, personName: row.person_name || null }
        : null,
    listedCount: Number(row.listed_count),
    ip: row.ip,
    userAgent: row.user_agent,
  };
}

/** One page of the 監査ログ; reading the log is itself logged. */
export async function listAuditLog(
  db: Db,
  viewer: Actor,
  filter: AuditFilter,
  page: { limit: number; after?: repo.Keyset },
) {
  const rows = await repo.listAuditRows(db, viewer, await resolve(db, filter), page);
  const items = rows.slice(0, page.limit).map(toItem);
  await audit(db, viewer, {
    action: "list",
    entity: "audit_log",
    prefectureCode: viewer.prefectureCode,
    detail: { filter, count: items.length },
  });
  const last = items.at(-1);
  return { items, next: rows.length > page.limit && last ? { id: Number(last.id) } : null };
}

const header = [
  "日時",
  "利用者",
  "ログインID",
  "操作",
  "対象",
  "症例番号",
  "氏名",
  "件数",
  "結果",
  "IPアドレス",
  "ブラウザー",
];
const BATCH = 2000;

function line(item: AuditItem): string {
  const at = new Date(item.at).toLocaleString("ja-JP", { timeZone: "Asia/Tokyo", hour12: false });
  return `${[
    at,
    item.actor?.displayName ?? "（サインイン前）",
    item.actor?.loginId ?? "",
    auditLabel(auditActions, item.action),
    auditLabel(auditEntities, item.entity),
    item.case?.caseNumber ?? "",
    item.case?.personName ?? "",
    item.listedCount ? String(item.listedCount) : "",
    auditLabel(auditOutcomes, item.outcome),
    item.ip ?? "",
    item.userAgent ?? "",
  ]
    .map(csvField)
    .join(",")}\r\n`;
}

/** The same filter as CSV (UTF-8 with BOM), streamed in keyset batches; the export is logged. */
export async function exportAuditLog(
  db: Db,
  viewer: Actor,
  filter: AuditFilter,
): Promise<AsyncGenerator<string>> {
  const resolved = await resolve(db, filter);
  await audit(db, viewer, {
    action: "export",
    entity: "audit_log",
    prefectureCode: viewer.prefectureCode,
    detail: { filter, format: "csv" },
  });
  async function* chunks() {
    yield `\uFEFF${header.join(",")}\r\n`;
    let after: repo.Keyset | undefined;
    for (;;) {
      const rows = await repo.listAuditRows(db, viewer, resolved, { limit: BATCH, after });
      const page = rows.slice(0, BATCH);
      if (page.length === 0) return;
      yield page.map((r) => line(toItem(r))).join("");
      if (rows.length <= BATCH) return;
      after = { id: Number(page[page.length - 1].id) };
    }
  }
  return chunks();
}
