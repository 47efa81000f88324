import { type QueryCreator, sql } from "kysely";
import { Batcher, batcherFor } from "../db/batcher.ts";
import type { Db } from "../db/database.ts";
import { executePrepared } from "../db/prepared.ts";
import type { DB } from "../db/schema.ts";
import type { Actor } from "../policies/actor.ts";

export type AuditEntry = {
  action:
    | "read"
    | "list"
    | "create"
    | "update"
    | "delete"
    | "login"
    | "logout"
    | "login_failed"
    | "export"
    | string;
  entity: string;
  entityId?: string | null;
  /** The case the row concerns, when it is about one (the 監査ログ screen filters on it). */
  caseId?: string | null;
  prefectureCode?: string | null;
  detail?: Record<string, unknown>;
  /** The records a list read or an export returned (listed_ids, migration 1000). */
  listedIds?: string[];
  /** A refused attempt (403/404 on personal data) is logged as "denied". */
  outcome?: "allowed" | "denied";
};

// Record kinds whose rows name the case itself as entity_id (per-case reads).
const caseKeyed = new Set([
  "case",
  "case_history",
  "case_contacts",
  "case_activities",
  "health_observation",
  "health_report",
  "transmission_graph",
]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The case a row is about, so the 監査ログ can show and filter it without knowing every kind. */
function caseIdOf(entry: AuditEntry): string | null {
  const candidate =
    entry.caseId ??
    (caseKeyed.has(entry.entity) ? entry.entityId : null) ??
    (typeof entry.detail?.caseId === "string" ? entry.detail.caseId : null);
  return candidate && UUID.test(candidate) ? candidate : null;
}

/**
 * Writes an audit row; call it with the transaction that does the change (or the read). Inside a
 * transaction the row commits with the change it records. Outside one (a read), rows of reads
 * answered at the same moment go together: one statement and one commit for several, and each
 * read still answers only once its own row is committed.
 */
export async function audit(db: Db, actor: AuditActor | null, entry: AuditEntry): Promise<void> {
  const row = auditRow(actor, entry);
  if (db.isTransaction) await executePrepared(db, "audit_insert", auditInsertQuery(db, row).compile());
  else await batcherFor(auditBatchers, db, () => new Batcher((rows) => writeAuditRows(db, rows))).submit(row);
}

const auditBatchers = new WeakMap<object, Batcher<AuditRow, undefined>>();

async function writeAuditRows(db: Db, rows: AuditRow[]): Promise<undefined[]> {
  await executePrepared(db, "audit_insert_batch", auditBatchInsertQuery(db, JSON.stringify(rows)).compile());
  return rows.map(() => undefined);
}

const auditColumns = [
  "listed_ids",
  "actor_id",
  "actor_role",
  "action",
  "entity",
  "entity_id",
  "prefecture_code",
  "ip",
  "user_agent",
  "case_id",
  "outcome",
  "detail",
] as const satisfies readonly (keyof AuditRow)[];

/**
 * Several audit rows (auditRow's, as one JSON array) in one insert: the text is the same for any
 * number. Report ingest embeds it in its batch statement.
 */
export const auditBatchInsertQuery = (db: QueryCreator<DB>, rowsJson: string) =>
  db
    .insertInto("audit_log")
    .columns(auditColumns)
    .expression(
      sql`select ${sql.join(
        auditColumns.map((c) => (c === "detail" ? sql`(detail #>> '{}')::jsonb` : sql.ref(c))),
      )} from jsonb_populate_recordset(null::audit_log, ${rowsJson}::jsonb)`,
    );

/**
 * One row inside a transaction (a change, or a read made in one): prepared (its text is the same
 * for any row), it is parsed once per connection.
 */
export const auditInsertQuery = (db: QueryCreator<DB>, row: AuditRow) =>
  db.insertInto("audit_log").values(row);

export type AuditRow = ReturnType<typeof auditRow>;

/** The row audit() writes, for a caller that writes many in one statement (report ingest). */
/** Who acted: a signed-in user, or an attempt without one (a refused sign-in) from an address. */
type AuditActor = { userId: string | null; role: string | null; ip?: string | null; userAgent?: string };

export function auditRow(actor: AuditActor | null, entry: AuditEntry) {
  return {
    actor_id: actor?.userId ?? null,
    actor_role: actor?.role ?? null,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId ?? null,
    prefecture_code: entry.prefectureCode ?? null,
    ip: actor?.ip ?? null,
    user_agent: actor?.userAgent ?? null,
    case_id: caseIdOf(entry),
    outcome: entry.outcome ?? "allowed",
    detail: entry.detail ? JSON.stringify(entry.detail) : null,
    listed_ids: entry.listedIds ?? null,
  };
}

/** One audit row for a list read, naming every personal record it returned. */
export async function auditList(
  db: Db,
  actor: Actor,
  entity: string,
  ids: string[],
  detail?: Record<string, unknown>,
) {
  if (ids.length === 0) return;
  await audit(db, actor, listEntry(actor, entity, ids, detail));
}

/** What auditList writes, for a list read that writes its row in its own statement (健康状態一覧). */
export function listEntry(
  actor: Actor,
  entity: string,
  ids: string[],
  detail?: Record<string, unknown>,
): AuditEntry {
  return { action: "list", entity, prefectureCode: actor.prefectureCode, listedIds: ids, detail };
}
