import { type Expression, type ExpressionBuilder, type SqlBool, sql, type Updateable } from "kysely";
import type { InfectionRoute } from "#domain/codes.ts";
import type { Db } from "../../db/database.ts";
import { likePrefix } from "../../db/like.ts";
import { executePrepared } from "../../db/prepared.ts";
import type { CaseStatus, DB, DiagnosisClass, Section } from "../../db/schema.ts";
import type { Actor } from "../../policies/actor.ts";
import { type CaseScopeBranch, caseScopeBranches, relatedIdsColumn } from "../../policies/case.ts";
import { scoped, systemData } from "../../policies/data.ts";
import type { CaseQuery } from "./search.ts";

// All SQL of the case record. Every query on cases starts from scoped(db, actor).cases() (the actor's scope).

export const caseSorts = [
  "-updatedAt",
  "updatedAt",
  "-diagnosisDate",
  "diagnosisDate",
  "caseNumber",
  "-caseNumber",
] as const;
export type CaseSort = (typeof caseSorts)[number];

export type CaseListFilter = {
  status?: CaseStatus[];
  diseaseCode?: string[];
  diagnosisClass?: DiagnosisClass[];
  healthCenterId?: string;
  diagnosisFrom?: string;
  diagnosisTo?: string;
  onsetFrom?: string;
  onsetTo?: string;
  welfareLiaisonNeeded?: boolean;
  householdHasHighRisk?: boolean;
  hasUnderlyingConditions?: boolean;
  infectionRoute?: InfectionRoute[];
  infectionLinkKnown?: boolean;
  query?: CaseQuery | null;
  sort: CaseSort;
};

/** Position after the last row of a page: the sort key (as text, full precision) and the id. */
export type Keyset = { key: string | null; id: string };

type SortSpec = {
  column: "cases.updated_at" | "cases.diagnosis_date" | "cases.case_number";
  outer: "updated_at" | "diagnosis_date" | "case_number";
  desc: boolean;
  nullable: boolean;
};

const sortSpecs: Record<CaseSort, SortSpec> = {
  "-updatedAt": { column: "cases.updated_at", outer: "updated_at", desc: true, nullable: false },
  updatedAt: { column: "cases.updated_at", outer: "updated_at", desc: false, nullable: false },
  "-diagnosisDate": { column: "cases.diagnosis_date", outer: "diagnosis_date", desc: true, nullable: true },
  diagnosisDate: { column: "cases.diagnosis_date", outer: "diagnosis_date", desc: false, nullable: true },
  caseNumber: { column: "cases.case_number", outer: "case_number", desc: false, nullable: false },
  "-caseNumber": { column: "cases.case_number", outer: "case_number", desc: true, nullable: false },
};

type CaseEb = ExpressionBuilder<DB, "cases">;

/** Fewer digits than this are a case number only: a phone prefix that short matches everyone. */
const MIN_PHONE_DIGITS = 6;

/**
 * The search-key prefix for the list's scope (migrations 0201, 0203): a health center's own keys,
 * or the plain bigrams when the scope is one indexed condition the planner can combine (a
 * prefecture). Facility users' lists are small enough to walk.
 */
function searchScope(actor: Actor, f: CaseListFilter): string | null {
  const center = f.healthCenterId ?? (actor.role === "health_center" ? actor.healthCenterId : null);
  if (center) return `h${center.slice(0, 8)}:`;
  return actor.role === "prefecture" ? "" : null;
}

/** The name's bigrams in the scope's search keys, when there are both. */
function scopedKeys(actor: Actor, f: CaseListFilter): string[] | null {
  const scope = searchScope(actor, f);
  if (scope === null || f.query?.kind !== "name") return null;
  const grams = f.query.kanaOnly ? f.query.kanaGrams : f.query.kanjiGrams;
  return grams.length > 0 ? grams.map((g) => scope + g) : null;
}

/**
 * The search box. A name part is found through the cases' scoped search keys (one GIN lookup
 * for "this name in my scope", however common the name is nationally) and then checked against
 * the person's folded name; kana-only text is matched in the kana name, anything else in the
 * kanji name. Without keys (one-character queries, facility users) each case's person is checked
 * while the list is walked in order. Digits match a phone number's start or a case number.
 */
function queryCondition(eb: CaseEb, q: CaseQuery, keys: string[] | null): Expression<SqlBool> {
  const persons = (condition: Expression<SqlBool>) =>
    eb(
      "cases.person_id",
      "in",
      systemData(eb, "a search condition: it only narrows the caller's scoped case list")
        .selectFrom("persons as p")
        .select("p.id")
        .where(condition),
    );
  if (q.kind === "number") {
    // Either side is an index lookup, so the two combine (BitmapOr) instead of a walk. The
    // persons with that phone are collected once (array(...) runs as an InitPlan).
    const byNumber: Expression<SqlBool>[] = [];
    if (q.caseNumber) byNumber.push(eb("cases.case_number", "=", q.caseNumber));
    if (q.digits.length >= MIN_PHONE_DIGITS) {
      byNumber.push(
        sql<SqlBool>`cases.person_id = any(array(select p.id from persons p where p.phone_normalized like ${likePrefix(q.digits)}))`,
      );
    }
    return byNumber.length > 0 ? eb.or(byNumber) : eb.lit(false);
  }
  const text = q.kanaOnly ? q.kana : q.kanji;
  const column = sql.ref(q.kanaOnly ? "p.name_kana_folded" : "p.name_kanji_folded");
  const contains = persons(sql<SqlBool>`strpos(${column}, ${text}) > 0`);
  if (!keys) return contains;
  const keyed = sql<SqlBool>`cases.search_keys @> ${keys}::text[]`;
  // Two characters are one bigram: the key alone says the name contains them. Longer text may
  // have its bigrams apart, so each candidate's name is checked (a common surname in a whole
  // prefecture has thousands of candidates; this spares their person lookups).
  return Array.from(text).length === 2 ? keyed : eb.and([keyed, contains]);
}

function filterCondition(eb: CaseEb, f: CaseListFilter, keys: string[] | null): Expression<SqlBool> {
  const c: Expression<SqlBool>[] = [];
  if (f.status?.length) c.push(eb("cases.status", "in", f.status));
  if (f.diseaseCode?.length) c.push(eb("cases.disease_code", "in", f.diseaseCode));
  if (f.diagnosisClass?.length) c.push(eb("cases.diagnosis_class", "in", f.diagnosisClass));
  if (f.healthCenterId) c.push(eb("cases.responsible_health_center_id", "=", f.healthCenterId));
  if (f.diagnosisFrom) c.push(eb("cases.diagnosis_date", ">=", f.diagnosisFrom));
  if (f.diagnosisTo) c.push(eb("cases.diagnosis_date", "<=", f.diagnosisTo));
  if (f.onsetFrom) c.push(eb("cases.onset_date", ">=", f.onsetFrom));
  if (f.onsetTo) c.push(eb("cases.onset_date", "<=", f.onsetTo));
  if (f.welfareLiaisonNeeded !== undefined)
    c.push(f.welfareLiaisonNeeded ? eb("cases.welfare_liaison_needed", "=", true) : notTrue(eb, "welfare"));
  if (f.householdHasHighRisk !== undefined)
    c.push(
      f.householdHasHighRisk ? eb("cases.household_has_high_risk", "=", true) : notTrue(eb, "household"),
    );
  if (f.hasUnderlyingConditions !== undefined) {
    const has = eb.exists(
      eb
        .selectFrom("case_details as d")
        .select("d.case_id")
        .whereRef("d.case_id", "=", "cases.id")
        .where(sql<SqlBool>`cardinality(d.underlying_conditions) > 0`),
    );
    c.push(f.hasUnderlyingConditions ? has : eb.not(has));
  }
  if (f.infectionRoute?.length)
    c.push(sql<SqlBool>`${infectionField("route")} in (${sql.join(f.infectionRoute)})`);
  if (f.infectionLinkKnown !== undefined)
    c.push(
      f.infectionLinkKnown
        ? sql<SqlBool>`${infectionField("linkKnown")} = 'true'`
        : sql<SqlBool>`${infectionField("linkKnown")} is distinct from 'true'`,
    );
  if (f.query) c.push(queryCondition(eb, f.query, keys));
  return eb.and(c);
}

/**
 * A case's infection route or link as text: from the investigation section once edited there
 * (case_infection), otherwise from its first 発生届's current revision (a later one attached to
 * the same episode does not change it), and where that is silent from
 * the contact record naming the case (its relationship is the route; the link is known).
 */
function infectionField(field: "route" | "linkKnown") {
  const column = sql.ref(field === "route" ? "ci.route" : "ci.link_known");
  const fromContact =
    field === "route"
      ? sql`(select cc.relationship from case_contacts cc where cc.contact_case_id = cases.id
          order by cc.last_contact_date desc, cc.id limit 1)`
      : sql`(select 'true' from case_contacts cc where cc.contact_case_id = cases.id limit 1)`;
  return sql<string | null>`(case when exists (select 1 from case_infection ci where ci.case_id = cases.id)
    then (select ${column}::text from case_infection ci where ci.case_id = cases.id)
    else coalesce((select nullif(r.body -> 'infection' ->> ${field}, '') from notifications n
      join notification_revisions r on r.notification_id = n.id and r.revision = n.revision
      where n.case_id = cases.id order by n.created_at, n.id limit 1), ${fromContact}) end)`;
}

function notTrue(eb: CaseEb, flag: "welfare" | "household") {
  const column = flag === "welfare" ? "cases.welfare_liaison_needed" : "cases.household_has_high_risk";
  return eb.or([eb(column, "is", null), eb(column, "=", false)]);
}

/**
 * Rows after the keyset position, in the sort's order (id breaks ties, opposite direction).
 * Nullable keys sort nulls last when descending and first when ascending (one index, both ways).
 */
function keysetCondition(spec: SortSpec, after: Keyset, keyColumn: string, idColumn: string) {
  const key = sql.ref(keyColumn);
  const id = sql.ref(idColumn);
  const beyond = sql.raw(spec.desc ? "<" : ">");
  const idBeyond = sql.raw(spec.desc ? ">" : "<");
  const later = sql<SqlBool>`(${key} ${beyond} ${after.key} or (${key} = ${after.key} and ${id} ${idBeyond} ${after.id}))`;
  if (!spec.nullable) return later;
  if (after.key === null) {
    const laterNull = sql<SqlBool>`(${key} is null and ${id} ${idBeyond} ${after.id})`;
    return spec.desc ? laterNull : sql<SqlBool>`(${laterNull} or ${key} is not null)`;
  }
  return spec.desc ? sql<SqlBool>`(${later} or ${key} is null)` : later;
}

/** One page of 患者一覧, in the filter's sort order. */
export async function listCases(
  db: Db,
  actor: Actor,
  f: CaseListFilter,
  page: { limit: number; after?: Keyset },
): Promise<CaseListRow[]> {
  const query = listCasesQuery(db, actor, f, page);
  if (!plannedOnce(f)) return query.execute();
  return (await executePrepared(db, "case_list", query.compile())).rows;
}

// The filters staff use all day (a status, a center, a class, any sort, page after page) are
// planned once per connection: planning was 1.1-1.4 ms of a 保健所 A page, and the generic plan
// was as fast as the one made for the values in every such shape timed (bench/README.md, mixed).
// Not a name or number search (a long name's generic plan took 18 ms where its own took 2.5),
// nor the flags and dates, whose partial indexes and ranges want their values.
const plainFilters = new Set<keyof CaseListFilter>([
  "status",
  "diseaseCode",
  "diagnosisClass",
  "healthCenterId",
  "sort",
]);
const plannedOnce = (f: CaseListFilter) =>
  Object.entries(f).every(([key, value]) => value == null || plainFilters.has(key as keyof CaseListFilter));

/**
 * The 患者一覧 query (also compiled by the benchmark to record its plan). The page is chosen
 * from cases alone, and persons are joined to its rows only. A health center sees its own cases
 * and those it is related to: two index-ordered branches, merged (a name search needs neither:
 * the scoped search keys cover both).
 */
export function listCasesQuery(
  db: Db,
  actor: Actor,
  f: CaseListFilter,
  page: { limit: number; after?: Keyset },
) {
  const spec = sortSpecs[f.sort];
  const keys = scopedKeys(actor, f);
  // Nullable keys sort nulls last when descending and first when ascending (one index, both ways).
  const nulls = spec.nullable ? (spec.desc ? " nulls last" : " nulls first") : "";
  const byKey = (column: string) =>
    sql`${sql.ref(column)} ${sql.raw(spec.desc ? "desc" : "asc")}${sql.raw(nulls)}`;
  const byId = (column: string) => sql`${sql.ref(column)} ${sql.raw(spec.desc ? "asc" : "desc")}`;
  const pageColumns = [
    "cases.id",
    "cases.updated_at",
    "cases.diagnosis_date",
    "cases.case_number",
    // Timestamps keep microseconds in the cursor; a JS Date would round them away.
    sql<string>`cases.updated_at::text`.as("updated_at_key"),
  ] as const;
  const after = page.after;
  const branch = (narrow: (eb: CaseEb) => Expression<SqlBool>) =>
    scoped(db, actor)
      .cases()
      .select(pageColumns)
      .where((eb) => filterCondition(eb, f, keys))
      .where(narrow)
      .$if(after !== undefined, (q) => q.where(keysetCondition(spec, after!, spec.column, "cases.id")))
      .orderBy(byKey(spec.column))
      .orderBy(byId("cases.id"))
      .limit(page.limit);
  // Related cases in list order straight from the relation (0202 keeps case_updated_at there).
  const relatedByUpdate = (center: string) =>
    scoped(db, actor)
      .cases()
      .innerJoin("case_related_health_centers as r", "r.case_id", "cases.id")
      .select(pageColumns)
      .where("r.health_center_id", "=", center)
      .where("cases.responsible_health_center_id", "<>", center)
      // Only cases columns are referenced, so the cases-only builder type fits.
      .where((eb) => filterCondition(eb as unknown as CaseEb, f, keys))
      .$if(after !== undefined, (q) =>
        q.where(keysetCondition(spec, after!, "r.case_updated_at", "r.case_id")),
      )
      .orderBy(byKey("r.case_updated_at"))
      .orderBy(byId("r.case_id"))
      .limit(page.limit);
  // The center's own and related cases as the access rules define them (policies/case.ts).
  const narrowOf = (part: CaseScopeBranch["part"]) =>
    caseScopeBranches(actor).find((b) => b.part === part)?.narrow ?? ((eb: CaseEb) => eb.lit(false));
  const related = (center: string) =>
    spec.outer === "updated_at" ? relatedByUpdate(center) : branch(narrowOf("related"));
  const hc = actor.role === "health_center" && !f.healthCenterId && !keys ? actor.healthCenterId : null;
  const chosen = hc
    ? db
        .selectFrom(
          db
            .selectFrom(branch(narrowOf("own")).as("own"))
            .selectAll()
            .unionAll(db.selectFrom(related(hc).as("rel")).selectAll())
            .as("u"),
        )
        .selectAll()
        .orderBy(byKey(`u.${spec.outer}`))
        .orderBy(byId("u.id"))
        .limit(page.limit)
        .as("pg")
    : branch((eb) => eb.lit(true)).as("pg");
  return systemData(db, "joins back the page of case ids chosen from scoped(db, actor).cases() above")
    .selectFrom(chosen)
    .innerJoin("cases", "cases.id", "pg.id")
    .innerJoin("persons as p", "p.id", "cases.person_id")
    .select([
      "cases.id",
      "cases.person_id",
      "cases.case_number",
      "cases.status",
      "cases.disease_code",
      "cases.diagnosis_class",
      "cases.responsible_health_center_id",
      "cases.updated_at",
      "cases.diagnosis_date",
      "cases.onset_date",
      "cases.welfare_liaison_needed",
      "cases.household_has_high_risk",
      "p.name_kanji",
      "p.name_kana",
      "p.birth_date",
      "p.sex",
      "p.phone",
      "p.address_municipality_code",
      "p.address_line",
      "pg.updated_at_key",
    ])
    .orderBy(byKey(`pg.${spec.outer}`))
    .orderBy(byId("pg.id"));
}
export type CaseListRow = Awaited<ReturnType<ReturnType<typeof listCasesQuery>["execute"]>>[number];

/** The sort key of a row as a cursor stores it. */
export function keyOf(row: CaseListRow, sort: CaseSort): string | null {
  const spec = sortSpecs[sort];
  if (spec.outer === "updated_at") return row.updated_at_key;
  return spec.outer === "diagnosis_date" ? row.diagnosis_date : row.case_number;
}

export async function countCases(db: Db, actor: Actor, f: CaseListFilter): Promise<number> {
  const row = await scoped(db, actor)
    .cases()
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where((eb) => filterCondition(eb, f, scopedKeys(actor, f)))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Everything of one case the record screen shows, in one row; undefined when out of scope. */
export function findCaseRecord(db: Db, actor: Actor, caseId: string) {
  return caseRecordQuery(db, actor).where("cases.id", "=", caseId);
}

/** The records of a page of cases in one query (those the actor may see). */
export function findCaseRecords(db: Db, actor: Actor, caseIds: string[]) {
  return caseRecordQuery(db, actor).where("cases.id", "in", caseIds);
}

function caseRecordQuery(db: Db, actor: Actor) {
  return scoped(db, actor)
    .cases()
    .innerJoin("persons as p", "p.id", "cases.person_id")
    .innerJoin("health_centers as hc", "hc.id", "cases.responsible_health_center_id")
    .leftJoin("case_details as d", "d.case_id", "cases.id")
    .leftJoin("facilities as af", "af.id", "cases.admitted_facility_id")
    .leftJoin("facilities as nf", "nf.id", "cases.notifying_facility_id")
    .select([
      "cases.id",
      "cases.case_number",
      "cases.person_id",
      "cases.prefecture_code",
      "cases.status",
      "cases.status_changed_at",
      "cases.disease_code",
      "cases.diagnosis_class",
      "cases.responsible_health_center_id",
      "cases.notifying_facility_id",
      "cases.admitted_facility_id",
      "cases.onset_date",
      "cases.diagnosis_date",
      "cases.specimen_date",
      "cases.last_contact_date",
      "cases.welfare_liaison_needed",
      "cases.household_has_high_risk",
      "cases.diagnosis_version",
      "cases.measures_version",
      "cases.version",
      "cases.created_at",
      "cases.updated_at",
      "hc.name as hc_name",
      "af.name as admitted_facility_name",
      "nf.name as notifying_facility_name",
      "p.name_kanji",
      "p.name_kana",
      "p.birth_date",
      "p.sex",
      "p.phone",
      "p.email",
      "p.postal_code",
      "p.address_prefecture_code",
      "p.address_municipality_code",
      "p.address_line",
      "p.occupation",
      "p.household_id",
      "p.version as person_version",
      "d.symptoms",
      "d.symptoms_other",
      "d.spo2_room_air",
      "d.underlying_conditions",
      "d.underlying_conditions_note",
      "d.immunocompromised",
      "d.pregnant",
      "d.severity",
      "d.first_visit_date",
      "d.admission_date",
      "d.discharge_date",
      "d.chest_xray_date",
      "d.chest_xray_findings",
      "d.chest_ct_date",
      "d.chest_ct_findings",
      "d.icu_used",
      "d.icu_from",
      "d.icu_to",
      "d.ventilator_used",
      "d.ventilator_from",
      "d.ventilator_to",
      "d.ecmo_used",
      "d.ecmo_from",
      "d.ecmo_to",
      "d.death_date",
      "d.emergency_transport_facility",
      "d.family_doctor",
      relatedIdsColumn,
    ]);
}
export type CaseRecordRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof findCaseRecord>["executeTakeFirst"]>>
>;

export function lockPerson(trx: Db, personId: string) {
  return systemData(trx, "locks the person of a case its caller has authorized")
    .selectFrom("persons")
    .select(["id", "version"])
    .where("id", "=", personId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/** Locks the current (not merged) persons among `ids` in id order, so two merges cannot deadlock. */
export function lockCurrentPersons(trx: Db, ids: readonly string[]) {
  return systemData(trx, "locks the persons of a merge whose cases the caller checks one by one")
    .selectFrom("persons")
    .selectAll()
    .where("id", "in", [...ids])
    .where("merged_into", "is", null)
    .orderBy("id")
    .forUpdate()
    .execute();
}

/** Every case of these persons, with who handles it (a person merge moves or touches them). */
export function casesOfPersons(db: Db, personIds: readonly string[]) {
  return systemData(
    db,
    "every case of persons being merged; the caller checks each against the actor's scope",
  )
    .selectFrom("cases")
    .select((eb) => [
      "cases.id",
      "cases.person_id",
      "cases.prefecture_code",
      "cases.responsible_health_center_id",
      relatedIdsColumn(eb),
    ])
    .where("cases.person_id", "in", [...personIds])
    .execute();
}

/** How to reach a person (report links, automatic calls), and the prefecture holding the record. */
export function findPerson(db: Db, personId: string) {
  return systemData(db, "contact details of the person of a case its caller has authorized")
    .selectFrom("persons")
    .select(["phone", "email", "name_kanji", "prefecture_code"])
    .where("id", "=", personId)
    .executeTakeFirstOrThrow();
}

export function healthCenterNames(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("health_centers")
    .select(["id", "name", "prefecture_code"])
    .where("id", "in", ids)
    .orderBy("name")
    .execute();
}

export function listTests(db: Db, caseId: string) {
  return listTestsOf(db, [caseId]);
}

/** Tests of several cases, each case's in the order of listTests. */
export function listTestsOf(db: Db, caseIds: string[]) {
  return db
    .selectFrom("case_tests")
    .selectAll()
    .where("case_id", "in", caseIds)
    .orderBy("case_id")
    .orderBy("specimen_date", (ob) => ob.asc().nullsLast())
    .orderBy("created_at")
    .execute();
}
export type TestRow = Awaited<ReturnType<typeof listTests>>[number];

export function findTest(db: Db, caseId: string, testId: string) {
  return db
    .selectFrom("case_tests")
    .selectAll()
    .where("case_id", "=", caseId)
    .where("id", "=", testId)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * In the order entered: a change dated back overrides what was entered before it, and the last
 * entry is the status in force (as statistics read it).
 */
export function listStatusHistory(db: Db, caseId: string) {
  return listStatusHistoryOf(db, [caseId]);
}

/** Status histories of several cases, each case's in the order of listStatusHistory. */
export function listStatusHistoryOf(db: Db, caseIds: string[]) {
  return db
    .selectFrom("case_status_history as s")
    .leftJoin("users as u", "u.id", "s.actor_id")
    .select(["s.case_id", "s.status", "s.at", "s.recorded_at", "u.display_name"])
    .where("s.case_id", "in", caseIds)
    .orderBy("s.case_id")
    .orderBy("s.id")
    .execute();
}

/**
 * Household members of a person with the cases this actor may see. Members with no visible
 * case are left out: their existence is not the actor's business.
 */
export function listHouseholdMembers(db: Db, actor: Actor, householdId: string, personId: string) {
  return scoped(db, actor)
    .cases()
    .innerJoin("persons as p", "p.id", "cases.person_id")
    .select([
      "p.id as person_id",
      "p.name_kanji",
      "p.name_kana",
      "p.birth_date",
      "cases.id as case_id",
      "cases.status",
    ])
    .where("p.household_id", "=", householdId)
    .where("p.id", "<>", personId)
    .orderBy("p.birth_date")
    .orderBy("cases.created_at", "desc")
    .execute();
}

export type HistoryCursor = { id: number };

export function listHistory(
  db: Db,
  caseId: string,
  sections: readonly Section[],
  page: { limit: number; after?: HistoryCursor },
) {
  let q = db
    .selectFrom("case_history as h")
    .leftJoin("users as u", "u.id", "h.actor_id")
    .leftJoin("health_centers as uhc", "uhc.id", "u.health_center_id")
    .leftJoin("facilities as uf", "uf.id", "u.facility_id")
    .select([
      "h.id",
      "h.at",
      "h.section",
      "h.action",
      "h.before",
      "h.after",
      "h.actor_id",
      "u.display_name",
      "u.role",
      "uhc.name as hc_name",
      "uf.name as facility_name",
    ])
    .where("h.case_id", "=", caseId)
    .where("h.section", "in", sections.length > 0 ? [...sections] : ["(none)"])
    .orderBy("h.id", "desc")
    .limit(page.limit);
  if (page.after) q = q.where("h.id", "<", page.after.id);
  return q.execute();
}
export type HistoryRow = Awaited<ReturnType<typeof listHistory>>[number];

export async function lastChangeOf(db: Db, caseId: string, section: Section) {
  const [row] = await listHistory(db, caseId, [section], { limit: 1 });
  return row ?? null;
}

/** Marks the case changed: its list position (updated_at) and whole-case version move. */
export async function touchCase(trx: Db, caseId: string, bump?: "diagnosis_version" | "measures_version") {
  await trx
    .updateTable("cases")
    .set((eb) => ({
      updated_at: new Date(),
      version: eb("version", "+", 1),
      ...(bump === "diagnosis_version" ? { diagnosis_version: eb("diagnosis_version", "+", 1) } : {}),
      ...(bump === "measures_version" ? { measures_version: eb("measures_version", "+", 1) } : {}),
    }))
    .where("id", "=", caseId)
    .execute();
}

export async function upsertDetails(
  trx: Db,
  caseId: string,
  prefectureCode: string,
  values: Omit<Updateable<DB["case_details"]>, "case_id" | "prefecture_code">,
) {
  if (Object.keys(values).length === 0) return;
  await trx
    .insertInto("case_details")
    .values({ case_id: caseId, prefecture_code: prefectureCode, ...values })
    .onConflict((oc) => oc.column("case_id").doUpdateSet(values))
    .execute();
}

/** The patient as this facility filed it: the latest revision of its latest 発生届 for the case. */
export async function filedPatient(db: Db, caseId: string, facilityId: string) {
  const row = await db
    .selectFrom("notifications as n")
    .innerJoin("notification_revisions as r", (j) =>
      j.onRef("r.notification_id", "=", "n.id").onRef("r.revision", "=", "n.revision"),
    )
    .select("r.body")
    .where("n.case_id", "=", caseId)
    .where("n.filing_facility_id", "=", facilityId)
    .orderBy("n.created_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return (row?.body ?? null) as { patient?: Record<string, unknown>; occupation?: unknown } | null;
}

/** 基本情報 changes made on this case by the staff of one facility, oldest first. */
export function basicChangesByFacility(db: Db, caseId: string, facilityId: string) {
  return db
    .selectFrom("case_history as h")
    .innerJoin("users as u", "u.id", "h.actor_id")
    .select(["h.after"])
    .where("h.case_id", "=", caseId)
    .where("h.section", "=", "basic")
    .where("h.action", "=", "update")
    .where("u.facility_id", "=", facilityId)
    .orderBy("h.id")
    .execute();
}
