import { type QueryCreator, type Selectable, sql } from "kysely";
import { audit, auditList } from "../../audit/audit.ts";
import type { AppContext } from "../../context.ts";
import type { Db } from "../../db/database.ts";
import type { DB } from "../../db/schema.ts";
import { fieldError, forbidden, notFound } from "../../http/errors.ts";
import type { Actor } from "../../policies/actor.ts";
import { scoped } from "../../policies/data.ts";
import { sectionAllows } from "../../policies/sections.ts";
import { publish } from "../../realtime/outbox.ts";
import { mergePersonRecords } from "../cases/core.ts";
import { factsOf } from "../cases/record.ts";
import * as caseRepo from "../cases/repository.ts";

// 重複候補: persons that are probably one human recorded twice, and merging them (once-only).

export const duplicateReasons = ["name_birth", "phone_birth", "name_phone", "name_address"] as const;
export type DuplicateReason = (typeof duplicateReasons)[number];
export type PairCursor = { a: string; b: string };

/**
 * Pairs of persons, both with a case the actor can see, that share the folded kana name and
 * birth date, phone and birth date, kana name and phone, or kana name and address. Pairs a
 * health center marked as different people are left out.
 */
export async function findDuplicatePairs(db: Db, actor: Actor, page: { limit: number; after?: PairCursor }) {
  let q = db
    .with("mine", (w) => mine(w, actor))
    .with("pairs", (w) => {
      const pairOn = (reason: DuplicateReason, columns: readonly (keyof MineRow)[]) =>
        w
          .selectFrom("mine as a")
          .innerJoin("mine as b", (join) => {
            let j = join.onRef("a.id", "<", "b.id");
            for (const c of columns) j = j.onRef(`a.${c}`, "=", `b.${c}`);
            return j;
          })
          .select(["a.id as a_id", "b.id as b_id", sql<string>`${reason}::text`.as("reason")]);
      return pairOn("name_birth", ["name_kana_folded", "birth_date"])
        .unionAll(pairOn("phone_birth", ["phone_normalized", "birth_date"]))
        .unionAll(pairOn("name_phone", ["name_kana_folded", "phone_normalized"]))
        .unionAll(pairOn("name_address", ["name_kana_folded", "address_municipality_code", "address_line"]));
    })
    .selectFrom("pairs")
    .select([
      "pairs.a_id",
      "pairs.b_id",
      sql<DuplicateReason[]>`array_agg(distinct pairs.reason)`.as("reasons"),
    ])
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("person_distinct_pairs as d")
            .select("d.person_a")
            .whereRef("d.person_a", "=", "pairs.a_id")
            .whereRef("d.person_b", "=", "pairs.b_id"),
        ),
      ),
    )
    .groupBy(["pairs.a_id", "pairs.b_id"])
    .orderBy("pairs.a_id")
    .orderBy("pairs.b_id")
    .limit(page.limit);
  if (page.after) {
    const { a, b } = page.after;
    q = q.where((eb) =>
      eb.or([eb("pairs.a_id", ">", a), eb.and([eb("pairs.a_id", "=", a), eb("pairs.b_id", ">", b)])]),
    );
  }
  return q.execute();
}

type MineRow = {
  id: string;
  name_kana_folded: string;
  birth_date: string | null;
  phone_normalized: string | null;
  address_municipality_code: string | null;
  address_line: string | null;
};

// A CTE body is built on the WITH clause's query creator; the scope starts from it the same way.
function mine(w: QueryCreator<DB>, actor: Actor) {
  return scoped(w, actor)
    .cases()
    .innerJoin("persons as p", "p.id", "cases.person_id")
    .where("p.merged_into", "is", null)
    .select([
      "p.id",
      "p.name_kana_folded",
      "p.birth_date",
      "p.phone_normalized",
      "p.address_municipality_code",
      "p.address_line",
    ])
    .distinct();
}

/** Persons with the cases of theirs the actor can see, for the duplicates screen. */
export async function personSummaries(db: Db, actor: Actor, personIds: readonly string[]) {
  if (personIds.length === 0) return new Map();
  const rows = await scoped(db, actor)
    .cases()
    .innerJoin("persons as p", "p.id", "cases.person_id")
    .select([
      "p.id as person_id",
      "p.name_kanji",
      "p.name_kana",
      "p.birth_date",
      "p.sex",
      "p.phone",
      "p.postal_code",
      "p.address_municipality_code",
      "p.address_line",
      "p.version",
      "cases.id as case_id",
      "cases.case_number",
      "cases.status",
      "cases.diagnosis_class",
      "cases.created_at",
    ])
    .where("p.id", "in", [...personIds])
    .orderBy("cases.created_at")
    .execute();
  const byPerson = new Map<string, ReturnType<typeof summaryOf>>();
  for (const r of rows) {
    const s = byPerson.get(r.person_id) ?? summaryOf(r);
    s.cases.push({
      id: r.case_id,
      caseNumber: r.case_number,
      status: r.status,
      diagnosisClass: r.diagnosis_class,
    });
    byPerson.set(r.person_id, s);
  }
  return byPerson;
}

function summaryOf(r: {
  person_id: string;
  name_kanji: string;
  name_kana: string;
  birth_date: string | null;
  sex: string;
  phone: string | null;
  postal_code: string | null;
  address_municipality_code: string | null;
  address_line: string | null;
  version: number;
}) {
  return {
    id: r.person_id,
    nameKanji: r.name_kanji,
    nameKana: r.name_kana,
    birthDate: r.birth_date,
    sex: r.sex,
    phone: r.phone,
    postalCode: r.postal_code,
    address: { municipalityCode: r.address_municipality_code, line: r.address_line },
    version: r.version,
    cases: [] as { id: string; caseNumber: string; status: string; diagnosisClass: string | null }[],
  };
}

export async function listDuplicates(db: Db, actor: Actor, page: { limit: number; after?: PairCursor }) {
  const pairs = await findDuplicatePairs(db, actor, { limit: page.limit + 1, after: page.after });
  const shown = pairs.slice(0, page.limit);
  const people = await personSummaries(db, actor, [...new Set(shown.flatMap((p) => [p.a_id, p.b_id]))]);
  await auditList(db, actor, "person", [...people.keys()], { view: "duplicates" });
  const last = shown.at(-1);
  return {
    items: shown.map((p) => ({
      a: people.get(p.a_id),
      b: people.get(p.b_id),
      reasons: [...p.reasons].sort(),
    })),
    next: pairs.length > page.limit && last ? { a: last.a_id, b: last.b_id } : null,
  };
}

type Ctx = Pick<AppContext, "db">;

/**
 * Every case of both persons, which the actor must be able to edit (基本情報): merging changes
 * whose record each case belongs to. Persons the actor cannot see at all are "not found".
 */
async function casesToMerge(trx: Db, actor: Actor, personIds: readonly string[]) {
  const all = await caseRepo.casesOfPersons(trx, personIds);
  const visible = await Promise.all(
    all.map((c) => caseRepo.findCaseRecord(trx, actor, c.id).executeTakeFirst()),
  );
  for (const personId of personIds) {
    if (!visible.some((v) => v?.person_id === personId)) throw notFound("人物が見つかりません。");
  }
  for (const row of visible) {
    if (!row || !sectionAllows(actor, "update", "basic", factsOf(row))) {
      throw forbidden("他の保健所が担当する症例を含むため、この画面では統合できません。");
    }
  }
  return visible.filter((v): v is caseRepo.CaseRecordRow => v !== undefined);
}

/**
 * POST /persons/merge: the merged person's cases (with their tests and history) move to the kept
 * person, empty fields of the kept person are filled from the merged one, and the merged person
 * stays as a pointer (merged_into) so other modules' references still resolve.
 */
export async function mergePersons(
  ctx: Ctx,
  actor: Actor,
  input: { keepPersonId: string; mergePersonId: string },
) {
  const { keepPersonId: keepId, mergePersonId: mergeId } = input;
  if (keepId === mergeId) throw fieldError("mergePersonId", "同じ人物は統合できません。");
  return ctx.db.transaction().execute(async (trx) => {
    const { keep, merged } = await lockPair(trx, keepId, mergeId);
    if (!keep || !merged) throw notFound("人物が見つかりません。");
    const cases = await casesToMerge(trx, actor, [keepId, mergeId]);
    return applyMerge(trx, actor, keep, merged, cases);
  });
}

type PersonRow = Selectable<DB["persons"]>;
/** What a merge needs of each case it moves or touches. */
export type MergedCase = Pick<
  caseRepo.CaseRecordRow,
  "id" | "prefecture_code" | "responsible_health_center_id" | "related_ids"
>;

/** Locks two current persons in id order (two merges of one pair cannot deadlock). */
export async function lockPair(trx: Db, keepId: string, mergeId: string) {
  const locked = await caseRepo.lockCurrentPersons(trx, [keepId, mergeId]);
  return { keep: locked.find((p) => p.id === keepId), merged: locked.find((p) => p.id === mergeId) };
}

/**
 * The merge itself, once the caller has decided it may happen: the cases module moves the
 * records (mergePersonRecords); this audits and announces it.
 */
export async function applyMerge(
  trx: Db,
  actor: Actor,
  keep: PersonRow,
  merged: PersonRow,
  cases: readonly MergedCase[],
) {
  const [keepId, mergeId] = [keep.id, merged.id];
  await mergePersonRecords(trx, actor, keep, merged, cases);
  const caseIds = cases.map((c) => c.id);
  await audit(trx, actor, {
    action: "merge",
    entity: "person",
    entityId: keepId,
    prefectureCode: keep.prefecture_code,
    detail: { mergedPersonId: mergeId, caseIds },
  });
  await publish(trx, {
    topic: "person.merged",
    prefectureCode: keep.prefecture_code,
    healthCenterIds: [
      ...new Set(cases.flatMap((c) => [c.responsible_health_center_id, ...(c.related_ids ?? [])])),
    ],
    payload: { personId: keepId, mergedPersonId: mergeId, caseIds },
  });
  return { personId: keepId, mergedPersonId: mergeId, caseIds };
}

/** POST /persons/duplicates/dismiss: these two are different people; stop proposing them. */
export async function dismissPair(ctx: Ctx, actor: Actor, personIds: [string, string]) {
  const [a, b] = [...personIds].sort();
  if (a === b) throw fieldError("personIds", "異なる2人を指定してください。");
  await ctx.db.transaction().execute(async (trx) => {
    const people = await personSummaries(trx, actor, [a, b]);
    if (people.size < 2) throw notFound("人物が見つかりません。");
    const prefecture = await caseRepo.findPerson(trx, a);
    await trx
      .insertInto("person_distinct_pairs")
      .values({
        person_a: a,
        person_b: b,
        prefecture_code: prefecture.prefecture_code,
        decided_by: actor.userId,
      })
      .onConflict((oc) => oc.columns(["person_a", "person_b"]).doNothing())
      .execute();
    await audit(trx, actor, {
      action: "update",
      entity: "person",
      entityId: a,
      prefectureCode: prefecture.prefecture_code,
      detail: { distinctFrom: b },
    });
  });
}
