import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../test/harness.ts";

/**
 * The Citus layout of docs/capacity.md checked against the schema the migrations build (Citus
 * itself cannot be installed here). Every table has a place: distributed by `prefecture_code`,
 * a reference table copied to every node, or local to the coordinator. What Citus would refuse
 * is computed from the catalog (a nullable distribution column, unique keys without it, foreign keys
 * between distributed tables not on it, reference tables pointing at distributed ones) and
 * must be exactly the list of changes the plan names, so a new migration cannot widen the gap
 * unnoticed.
 */

const distributed = [
  "admission_requests",
  "audit_log",
  "case_activities",
  "case_contacts",
  "case_details",
  "case_history",
  "case_infection",
  "case_infection_sources",
  "case_related_health_centers",
  "case_status_history",
  "case_tests",
  "cases",
  "cluster_cases",
  "cluster_history",
  "cluster_suggestions",
  "clusters",
  "health_alerts",
  "health_auto_calls",
  "health_device_cases",
  "health_devices",
  "health_messages",
  "health_observations",
  "health_report_links",
  "health_reports",
  "notification_daily_counts",
  "notification_events",
  "notification_revisions",
  "notification_uploads",
  "notifications",
  "person_distinct_pairs",
  "person_link_proposals",
  "persons",
  "placements",
  "stats_age_sex_day",
  "stats_age_sex_month",
  "stats_daily",
  "stats_health_center_day",
  "stats_health_center_month",
  "stats_prefecture_day",
  "stats_prefecture_month",
  "stats_versions",
];

const reference = [
  "api_clients",
  "disease_definition_history",
  "disease_definitions",
  "facilities",
  "facility_capacity",
  "facility_capacity_history",
  "health_alert_rules",
  "health_centers",
  "municipalities",
  "municipality_transfers",
  "prefectures",
  "users",
];

/** Small, national or per-login state that no distributed query joins: stays on the coordinator. */
const coordinator = [
  "job_runs",
  "login_throttle",
  "notification_claims",
  // The event stream's replay reads it in one national id order (Last-Event-ID).
  "outbox",
  "recovery_codes",
  "schema_migrations",
  "sessions",
  "user_first_logins",
  "wide_area_requests",
];

/**
 * What the layout needs changed before `create_distributed_table` (docs/capacity.md, "Changes
 * before distributing"): keys that must gain `prefecture_code`, and references that must carry it.
 */
const requiredChanges = [
  // National actors' rows: the plan gives them the code "00" (a shard of their own).
  "nullable audit_log (prefecture_code)",
  "nullable notification_uploads (prefecture_code)",
  "unique admission_requests (case_id)",
  "unique admission_requests (id)",
  "unique audit_log (id)",
  "unique case_activities (id)",
  "unique case_contacts (id)",
  "unique case_contacts (index_case_id, contact_case_id)",
  "unique case_details (case_id)",
  "unique case_history (id)",
  "unique case_infection (case_id)",
  "unique case_infection_sources (case_id, source_case_id)",
  "unique case_related_health_centers (case_id, health_center_id)",
  "unique case_status_history (id)",
  "unique case_tests (id)",
  "unique cases (case_number)",
  "unique cases (id)",
  "unique cluster_cases (cluster_id, case_id)",
  "unique cluster_history (id)",
  "unique cluster_suggestions (id)",
  "unique clusters (id)",
  "unique health_alerts (case_id, rule)",
  "unique health_alerts (id)",
  "unique health_auto_calls (callback_token_hash)",
  "unique health_auto_calls (id)",
  "unique health_device_cases (device_id, case_id)",
  "unique health_devices (id)",
  "unique health_devices (token_hash)",
  "unique health_messages (id)",
  "unique health_observations (case_id)",
  "unique health_report_links (id)",
  "unique health_report_links (token_hash)",
  "unique health_reports (case_id, idempotency_key)",
  "unique health_reports (id)",
  "unique notification_daily_counts (id)",
  "unique notification_events (id)",
  "unique notification_revisions (notification_id, revision)",
  "unique notification_uploads (id)",
  "unique notifications (id)",
  "unique notifications (number)",
  "unique person_distinct_pairs (person_a, person_b)",
  "unique person_link_proposals (held_person_id, proposed_person_id, held_health_center_id)",
  "unique person_link_proposals (id)",
  "unique persons (id)",
  "unique placements (id)",
  "foreign key admission_requests (case_id) -> cases",
  "foreign key case_activities (case_id) -> cases",
  "foreign key case_contacts (contact_case_id) -> cases",
  "foreign key case_contacts (index_case_id) -> cases",
  "foreign key case_details (case_id) -> cases",
  "foreign key case_history (case_id) -> cases",
  "foreign key case_infection (case_id) -> cases",
  "foreign key case_infection_sources (case_id) -> cases",
  "foreign key case_infection_sources (source_case_id) -> cases",
  "foreign key case_related_health_centers (case_id) -> cases",
  "foreign key case_status_history (case_id) -> cases",
  "foreign key case_tests (case_id) -> cases",
  "foreign key cases (person_id) -> persons",
  "foreign key cluster_cases (case_id) -> cases",
  "foreign key cluster_cases (cluster_id) -> clusters",
  "foreign key cluster_history (cluster_id) -> clusters",
  "foreign key cluster_suggestions (cluster_id) -> clusters",
  "foreign key health_alerts (case_id) -> cases",
  "foreign key health_alerts (report_id) -> health_reports",
  "foreign key health_auto_calls (case_id) -> cases",
  "foreign key health_auto_calls (report_id) -> health_reports",
  "foreign key health_device_cases (case_id) -> cases",
  "foreign key health_device_cases (device_id) -> health_devices",
  "foreign key health_devices (link_id) -> health_report_links",
  "foreign key health_devices (person_id) -> persons",
  "foreign key health_devices (primary_case_id) -> cases",
  "foreign key health_messages (case_id) -> cases",
  "foreign key health_messages (resent_from) -> health_messages",
  "foreign key health_observations (case_id) -> cases",
  "foreign key health_report_links (case_id) -> cases",
  "foreign key health_reports (case_id) -> cases",
  "foreign key notification_claims (notification_id) -> notifications",
  "foreign key notification_events (notification_id) -> notifications",
  "foreign key notification_revisions (notification_id) -> notifications",
  "foreign key notifications (case_id) -> cases",
  "foreign key notifications (person_id) -> persons",
  "foreign key person_distinct_pairs (person_a) -> persons",
  "foreign key person_distinct_pairs (person_b) -> persons",
  "foreign key person_link_proposals (held_person_id) -> persons",
  "foreign key person_link_proposals (proposed_person_id) -> persons",
  "foreign key person_link_proposals (proposing_case_id) -> cases",
  "foreign key persons (merged_into) -> persons",
  "foreign key placements (case_id) -> cases",
  "foreign key wide_area_requests (case_id) -> cases",
];

describe("Citus layout by prefecture (docs/capacity.md)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  const query = async <T>(text: string) => (await sql.raw<T>(text).execute(server.ctx.db)).rows as T[];

  it("gives every table a place", async () => {
    const tables = await query<{ name: string }>(
      `select c.relname as name from pg_class c
        where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') order by 1`,
    );
    const placed = [...distributed, ...reference, ...coordinator].sort();
    expect(tables.map((t) => t.name).filter((t) => !t.startsWith("pgboss"))).toEqual(placed);
  });

  it("needs exactly the key and reference changes the plan names", async () => {
    const uniques = await query<{ table: string; columns: string[] }>(
      `select i.indrelid::regclass::text as "table",
              array(select a.attname from unnest(i.indkey) with ordinality k(n, o)
                      join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.n order by k.o)::text[] as columns
         from pg_index i join pg_class c on c.oid = i.indrelid
        where i.indisunique and c.relnamespace = 'public'::regnamespace`,
    );
    const keys = await query<{ table: string; columns: string[]; target: string; targetColumns: string[] }>(
      `select f.conrelid::regclass::text as "table", f.confrelid::regclass::text as target,
              array(select a.attname from unnest(f.conkey) k(n)
                      join pg_attribute a on a.attrelid = f.conrelid and a.attnum = k.n)::text[] as columns,
              array(select a.attname from unnest(f.confkey) k(n)
                      join pg_attribute a on a.attrelid = f.confrelid and a.attnum = k.n)::text[] as "targetColumns"
         from pg_constraint f where f.contype = 'f' and f.connamespace = 'public'::regnamespace`,
    );
    const columns = await query<{ table: string; nullable: string }>(
      `select table_name as "table", is_nullable as nullable from information_schema.columns
        where table_schema = 'public' and column_name = 'prefecture_code'`,
    );
    const notNull = new Set(columns.filter((c) => c.nullable === "NO").map((c) => c.table));
    const isDistributed = (t: string) => distributed.includes(t);
    const found = [
      ...distributed.filter((t) => !notNull.has(t)).map((t) => `nullable ${t} (prefecture_code)`),
      ...uniques
        .filter((u) => isDistributed(u.table) && !u.columns.includes("prefecture_code"))
        .map((u) => `unique ${u.table} (${u.columns.join(", ")})`),
      // Distributed to distributed must join on the distribution column; anything pointing at a
      // distributed table from a reference or local table is refused outright.
      ...keys
        .filter(
          (k) =>
            isDistributed(k.target) &&
            (!isDistributed(k.table) ||
              !k.columns.includes("prefecture_code") ||
              !k.targetColumns.includes("prefecture_code")),
        )
        .map((k) => `foreign key ${k.table} (${k.columns.join(", ")}) -> ${k.target}`),
    ];
    expect(found.sort()).toEqual([...requiredChanges].sort());
  });
});
