import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from "kysely";
import { auditBatchInsertQuery, auditInsertQuery, auditRow } from "../audit/audit.ts";
import type { Db } from "../db/database.ts";
import type { DB } from "../db/schema.ts";
import { sessionActorQuery } from "../modules/auth/repository.ts";
import { waitingPageQuery } from "../modules/coordination/repository.ts";
import { batchFactsQuery, deviceLookupQuery, writeReportsQuery } from "../modules/health/repository.ts";
import {
  alertListQuery,
  alertPartQuery,
  alertSummaryQuery,
  restPartQuery,
  statusPageQuery,
} from "../modules/health/status.ts";
import {
  dailyAggregatesQuery,
  lineListBatchQuery,
  lineListQuery,
  statsVersionsQuery,
} from "../modules/stats/repository.ts";
import type { Actor } from "../policies/actor.ts";
import { scoped } from "../policies/data.ts";

/**
 * The queries on hot paths, compiled to SQL and checked in beside this file as
 * <name>.sql, so a code review shows any change to the SQL they generate
 * (`npm run sql:sync` rewrites them; queries.test.ts fails while they differ).
 */
export type HotQuery = { name: string; compile: (db: Db) => { sql: string } };

const actor = (role: Actor["role"]): Actor => ({
  userId: "00000000-0000-0000-0000-00000000000a",
  loginId: role,
  displayName: role,
  role,
  healthCenterId: "00000000-0000-0000-0000-0000000000hc",
  facilityId: "00000000-0000-0000-0000-0000000000fa",
  facilityKind: role === "hospital" ? "hospital" : "clinic",
  prefectureCode: "13",
  affiliation: { kind: "admin", id: "x", name: "x" },
  ip: "127.0.0.1",
});

const at = new Date("2022-08-19T00:00:00Z");

export const hotQueries: HotQuery[] = [
  { name: "session-actor", compile: (db) => sessionActorQuery(db, "token-hash", at, at).compile() },
  {
    name: "audit-insert",
    compile: (db) =>
      auditInsertQuery(
        db,
        auditRow(actor("health_center"), { action: "list", entity: "case", listedIds: [] }),
      ).compile(),
  },
  {
    name: "audit-insert-batch",
    compile: (db) =>
      auditBatchInsertQuery(
        db,
        JSON.stringify([auditRow(actor("health_center"), { action: "list", entity: "case", listedIds: [] })]),
      ).compile(),
  },
  ...(["health_center", "clinic", "hospital", "prefecture"] as const).map((role) => ({
    name: `case-scope-${role.replace("_", "-")}`,
    compile: (db: Db) => scoped(db, actor(role)).cases().select("cases.id").compile(),
  })),
  // Prepared statements (executePrepared): one text per role's scope, the page's ids as one array.
  {
    name: "health-status-page-health-center",
    compile: (db) =>
      statusPageQuery(db, actor("health_center"), ["00000000-0000-0000-0000-0000000000ca"]).compile(),
  },
  {
    name: "health-status-alert-health-center",
    compile: (db) =>
      alertPartQuery(
        db,
        actor("health_center"),
        { limit: 100, alertOnly: false, notReportedToday: false },
        at,
        null,
      ).compile(),
  },
  {
    name: "health-status-alert-prefecture",
    compile: (db) =>
      alertPartQuery(
        db,
        actor("prefecture"),
        { limit: 100, alertOnly: false, notReportedToday: false },
        at,
        null,
      ).compile(),
  },
  {
    name: "health-status-rest-health-center",
    compile: (db) =>
      restPartQuery(
        db,
        actor("health_center"),
        { limit: 100, alertOnly: false, notReportedToday: false },
        at,
        null,
        101,
      ).compile(),
  },
  {
    // After a cursor: the observation rows are joined from the cursor on (a merge join read them
    // from the start of the index).
    name: "health-status-rest-prefecture-after",
    compile: (db) =>
      restPartQuery(
        db,
        actor("prefecture"),
        { limit: 100, alertOnly: false, notReportedToday: false },
        at,
        "00000000-0000-0000-0000-00000000000d",
        101,
      ).compile(),
  },
  ...(["health_center", "prefecture"] as const).map((role) => ({
    name: `alert-summary-${role.replace("_", "-")}`,
    compile: (db: Db) => alertSummaryQuery(db, actor(role)).compile(),
  })),
  ...(["health_center", "prefecture"] as const).map((role) => ({
    name: `alert-list-${role.replace("_", "-")}`,
    compile: (db: Db) =>
      alertListQuery(db, actor(role), {
        state: "acknowledged",
        limit: 50,
        after: { at, id: "00000000-0000-0000-0000-00000000000b" },
      }).compile(),
  })),
  {
    name: "coordination-waiting-prefecture",
    compile: (db) =>
      waitingPageQuery(db, actor("prefecture"), {
        limit: 100,
        after: { since: "2022-08-19 09:00:00.123456+00", id: "00000000-0000-0000-0000-00000000000c" },
      }).compile(),
  },
  {
    name: "stats-daily-national",
    compile: (db) =>
      dailyAggregatesQuery({ from: "2022-01-01", to: "2022-12-31", prefectureCodes: null }).compile(db),
  },
  {
    name: "stats-daily-age-sex",
    compile: (db) =>
      dailyAggregatesQuery({
        from: "2022-06-01",
        to: "2022-08-29",
        prefectureCodes: ["13"],
        groupBy: ["ageBand", "sex"],
      }).compile(db),
  },
  {
    name: "stats-daily-health-centers",
    compile: (db) =>
      dailyAggregatesQuery({
        from: "2022-06-01",
        to: "2022-08-29",
        prefectureCodes: ["13"],
        groupBy: ["healthCenter"],
      }).compile(db),
  },
  {
    name: "stats-versions",
    compile: (db) => statsVersionsQuery(db, { prefectureCodes: ["13"], diseaseCode: "covid19" }).compile(),
  },
  {
    name: "stats-line-list",
    compile: (db) =>
      lineListQuery(db, {
        from: "2022-06-01",
        to: "2022-08-29",
        prefectureCodes: null,
        after: { date: "2022-06-03", skip: 12 },
        limit: 50,
      }).compile(),
  },
  {
    name: "stats-line-list-export",
    compile: (db) =>
      lineListBatchQuery(
        db,
        { from: "2022-06-01", to: "2022-08-29", prefectureCodes: null },
        { date: "2022-06-03", id: "00000000-0000-0000-0000-000000000001" },
        2000,
      ).compile(),
  },
  // Report ingest: the same statements for every batch of reports (and of devices), whatever its size.
  { name: "health-device-lookup", compile: (db) => deviceLookupQuery(db, []).compile() },
  {
    name: "health-report-batch-facts",
    compile: (db) =>
      batchFactsQuery({
        caseIds: [],
        primaryOf: [],
        hashes: [],
        keyedCaseIds: [],
        keyedHashes: [],
        keys: [],
      }).compile(db),
  },
  {
    name: "health-report-batch-write",
    compile: (db) =>
      writeReportsQuery(db, {
        caseIds: [],
        reports: "[]",
        observations: "[]",
        alerts: "[]",
        audit: "[]",
        events: "[]",
        recentSince: "2022-08-12T00:00:00.000Z",
        recentMax: 20,
      }).compile(db),
  },
];

/** A Kysely that compiles PostgreSQL without a connection. */
export function compilerOnly(): Db {
  return new Kysely<DB>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
}

/** SQL text as checked in: one clause per line is easier to diff than Kysely's single line. */
export function formatSql(sql: string): string {
  return `${sql
    .replace(
      / (from|inner join|left join|where|and|or|order by|limit|group by|having|returning|values|on conflict) /g,
      "\n$1 ",
    )
    .trim()}\n`;
}
