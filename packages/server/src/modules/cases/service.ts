import {
  type BasicSectionPatch,
  type CaseDates,
  checkCaseDates,
  type DiagnosisSectionPatch,
  type EditableSection,
  type MeasuresSectionPatch,
  type TestRecordInput,
  type TestRecordPatch,
  testRecordInput,
} from "#domain/case-record.ts";
import { tokyoDateOf, tokyoStartOfDay } from "#domain/dates.ts";
import { caseCodeIssues } from "#domain/disease/index.ts";
import type { CaseHistoryAction } from "#domain/history.ts";
import { foldKana, foldName, normalizePhone } from "#domain/kana.ts";
import { jaError } from "#domain/notification.ts";
import { audit } from "../../audit/audit.ts";
import type { AppContext } from "../../context.ts";
import type { Db } from "../../db/database.ts";
import type { CaseStatus, Section } from "../../db/schema.ts";
import {
  type AppError,
  badRequest,
  conflict,
  fieldError,
  forbidden,
  notFound,
  zodIssuesToFields,
} from "../../http/errors.ts";
import type { Actor } from "../../policies/actor.ts";
import { scoped, systemData } from "../../policies/data.ts";
import { authorize } from "../../policies/index.ts";
import { personWritableThrough } from "../../policies/person.ts";
import { type CaseFacts, sectionAllows } from "../../policies/sections.ts";
import { publish } from "../../realtime/outbox.ts";
import { allDiseases } from "../diseases/repository.ts";
import { appendCaseHistory, changeStatus } from "./core.ts";
import {
  basicValues,
  type CaseRecord,
  diagnosisValues,
  factsOf,
  filedBasicValues,
  filedOnly,
  getCaseRecord,
  measuresValues,
  sectionVersion,
  toHistoryItem,
  toTest,
} from "./record.ts";
import * as repo from "./repository.ts";

type Ctx = Pick<AppContext, "db">;
type Flat = Record<string, unknown>;
type SectionPatch = BasicSectionPatch | DiagnosisSectionPatch | MeasuresSectionPatch;

/**
 * A write to one case: locks the case (and its person), checks scope and section rights in the
 * data layer, and runs `work` in one transaction with the history, audit and outbox rows.
 */
async function withCase<T>(
  ctx: Ctx,
  actor: Actor,
  caseId: string,
  section: Section,
  work: (trx: Db, row: repo.CaseRecordRow, facts: CaseFacts) => Promise<T>,
): Promise<T> {
  return ctx.db.transaction().execute(async (trx) => {
    const locked = await scoped(trx, actor)
      .cases()
      .select(["cases.id", "cases.person_id"])
      .where("cases.id", "=", caseId)
      .forUpdate()
      .executeTakeFirst();
    if (!locked) throw notFound("症例が見つかりません。");
    await repo.lockPerson(trx, locked.person_id);
    const row = await repo.findCaseRecord(trx, actor, caseId).executeTakeFirst();
    if (!row) throw notFound("症例が見つかりません。");
    const facts = factsOf(row);
    authorize(actor, "update", `section:${section}`, facts);
    return work(trx, row, facts);
  });
}

async function recordChange(
  trx: Db,
  actor: Actor,
  row: repo.CaseRecordRow,
  facts: CaseFacts,
  change: { section: Section; action: CaseHistoryAction; before: unknown; after: unknown },
) {
  await appendCaseHistory(trx, {
    caseId: row.id,
    prefectureCode: row.prefecture_code,
    actorId: actor.userId,
    ...change,
  });
  await audit(trx, actor, {
    action: "update",
    entity: "case",
    entityId: row.id,
    prefectureCode: row.prefecture_code,
    detail: { section: change.section, change: change.action },
  });
  await publish(trx, {
    topic: "case.updated",
    prefectureCode: row.prefecture_code,
    healthCenterIds: [facts.responsibleHealthCenterId, ...facts.relatedHealthCenterIds],
    facilityIds: [facts.notifyingFacilityId, facts.admittedFacilityId].filter((x): x is string => x !== null),
    payload: { caseId: row.id, section: change.section, action: change.action },
  });
}

/** A patch as flat API keys ("icu.from"); keys left out of the patch are absent. */
export function flatten(patch: Record<string, unknown>): Flat {
  const out: Flat = {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === "version" || value === undefined) continue;
    const nested = ["address", "chestXray", "chestCt", "icu", "ventilator", "ecmo"];
    if (nested.includes(key)) {
      const fields = nestedFields[key];
      for (const field of fields) {
        const inner = value === null ? null : (value as Record<string, unknown>)[field];
        if (inner !== undefined) out[`${key}.${field}`] = inner;
      }
    } else out[key] = value;
  }
  return out;
}

const nestedFields: Record<string, readonly string[]> = {
  address: ["prefectureCode", "municipalityCode", "line"],
  chestXray: ["date", "findings"],
  chestCt: ["date", "findings"],
  icu: ["used", "from", "to"],
  ventilator: ["used", "from", "to"],
  ecmo: ["used", "from", "to"],
};

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The fields a patch really changes, with their values before and after. */
export function diff(current: Flat, patch: Flat): { before: Flat; after: Flat } {
  const before: Flat = {};
  const after: Flat = {};
  for (const [key, value] of Object.entries(patch)) {
    if (same(current[key], value)) continue;
    before[key] = current[key] ?? null;
    after[key] = value ?? null;
  }
  return { before, after };
}

function datesOf(row: repo.CaseRecordRow): CaseDates {
  const m = measuresValues(row);
  return {
    birthDate: row.birth_date,
    onsetDate: row.onset_date,
    diagnosisDate: row.diagnosis_date,
    specimenDate: row.specimen_date,
    firstVisitDate: m.firstVisitDate,
    admissionDate: m.admissionDate,
    dischargeDate: m.dischargeDate,
    deathDate: m.deathDate,
    "icu.from": m["icu.from"],
    "icu.to": m["icu.to"],
    "ventilator.from": m["ventilator.from"],
    "ventilator.to": m["ventilator.to"],
    "ecmo.from": m["ecmo.from"],
    "ecmo.to": m["ecmo.to"],
  };
}

const sectionValues = { basic: basicValues, diagnosis: diagnosisValues, measures: measuresValues } as const;

// Where each API field of a section is stored: [table, column].
type Target = ["persons" | "cases" | "details", string];
const columns: Record<EditableSection, Record<string, Target>> = {
  basic: {
    nameKanji: ["persons", "name_kanji"],
    nameKana: ["persons", "name_kana"],
    birthDate: ["persons", "birth_date"],
    sex: ["persons", "sex"],
    phone: ["persons", "phone"],
    email: ["persons", "email"],
    postalCode: ["persons", "postal_code"],
    "address.prefectureCode": ["persons", "address_prefecture_code"],
    "address.municipalityCode": ["persons", "address_municipality_code"],
    "address.line": ["persons", "address_line"],
    occupation: ["persons", "occupation"],
    welfareLiaisonNeeded: ["cases", "welfare_liaison_needed"],
    householdHasHighRisk: ["cases", "household_has_high_risk"],
  },
  diagnosis: {
    diagnosisClass: ["cases", "diagnosis_class"],
    onsetDate: ["cases", "onset_date"],
    diagnosisDate: ["cases", "diagnosis_date"],
    specimenDate: ["cases", "specimen_date"],
    symptoms: ["details", "symptoms"],
    symptomsOther: ["details", "symptoms_other"],
    spo2RoomAir: ["details", "spo2_room_air"],
    underlyingConditions: ["details", "underlying_conditions"],
    underlyingConditionsNote: ["details", "underlying_conditions_note"],
    immunocompromised: ["details", "immunocompromised"],
    pregnant: ["details", "pregnant"],
    severity: ["details", "severity"],
  },
  measures: {
    firstVisitDate: ["details", "first_visit_date"],
    admissionDate: ["details", "admission_date"],
    dischargeDate: ["details", "discharge_date"],
    "chestXray.date": ["details", "chest_xray_date"],
    "chestXray.findings": ["details", "chest_xray_findings"],
    "chestCt.date": ["details", "chest_ct_date"],
    "chestCt.findings": ["details", "chest_ct_findings"],
    "icu.used": ["details", "icu_used"],
    "icu.from": ["details", "icu_from"],
    "icu.to": ["details", "icu_to"],
    "ventilator.used": ["details", "ventilator_used"],
    "ventilator.from": ["details", "ventilator_from"],
    "ventilator.to": ["details", "ventilator_to"],
    "ecmo.used": ["details", "ecmo_used"],
    "ecmo.from": ["details", "ecmo_from"],
    "ecmo.to": ["details", "ecmo_to"],
    deathDate: ["details", "death_date"],
    emergencyTransportFacility: ["details", "emergency_transport_facility"],
    familyDoctor: ["details", "family_doctor"],
  },
};

function columnValues(section: EditableSection, after: Flat) {
  const byTable: Record<Target[0], Record<string, unknown>> = { persons: {}, cases: {}, details: {} };
  for (const [key, value] of Object.entries(after)) {
    const [table, column] = columns[section][key];
    byTable[table][column] = value;
  }
  const p = byTable.persons;
  // The folded forms follow the names and phone they are made from.
  if ("name_kanji" in p) {
    p.name_kanji = p.name_kanji ?? "";
    p.name_kanji_folded = foldName(String(p.name_kanji));
  }
  if ("name_kana" in p) p.name_kana_folded = foldKana(String(p.name_kana));
  if ("phone" in p) p.phone_normalized = p.phone ? normalizePhone(String(p.phone)) : null;
  return byTable;
}

async function conflictOf(trx: Db, row: repo.CaseRecordRow, section: EditableSection): Promise<AppError> {
  const last = await repo.lastChangeOf(trx, row.id, section);
  return conflict(
    "他の利用者がこの区分を先に更新しました。変更内容を確認してから、もう一度保存してください。",
    {
      section,
      version: sectionVersion(row, section),
      current: sectionValues[section](row),
      lastChange: last ? toHistoryItem(last) : null,
    },
  );
}

/**
 * The values a patch is compared with: what this actor sees. A facility that only filed the
 * case sees its own filing, so fields it did not touch are never written back over others' edits.
 */
async function currentValues(trx: Db, actor: Actor, row: repo.CaseRecordRow, section: EditableSection) {
  const values: Flat = sectionValues[section](row);
  return section === "basic" && filedOnly(actor, row)
    ? { ...values, ...(await filedBasicValues(trx, actor, row)) }
    : values;
}

/** Personal fields shared with another jurisdiction's case are not changed from here. */
async function assertPersonWritable(trx: Db, actor: Actor, row: repo.CaseRecordRow) {
  const through = { id: row.id, responsibleHealthCenterId: row.responsible_health_center_id };
  if (!(await personWritableThrough(trx, actor, row.person_id, through))) {
    throw conflict(
      "この方の個人情報は他の保健所の症例と共有されているため、ここでは変更できません。担当の保健所に連絡してください。",
      { reason: "person_shared" },
    );
  }
}

/** PATCH /cases/{id}/sections/{section}: the fields given, if `version` is still current. */
export async function updateSection(
  ctx: Ctx,
  actor: Actor,
  caseId: string,
  section: EditableSection,
  patch: SectionPatch,
): Promise<CaseRecord> {
  // Read before the transaction: the cached definitions must not wait on the connection it holds.
  const diseases = await allDiseases(ctx.db);
  await withCase(ctx, actor, caseId, section, async (trx, row, facts) => {
    if (patch.version !== sectionVersion(row, section)) throw await conflictOf(trx, row, section);
    const { before, after } = diff(await currentValues(trx, actor, row, section), flatten(patch));
    if (Object.keys(after).length === 0) return;
    if (section === "diagnosis" && "symptoms" in after)
      checkCodes(diseases, row, { symptoms: after.symptoms as string[] | null });
    const problems = checkCaseDates({ ...datesOf(row), ...after } as CaseDates, new Set(Object.keys(after)));
    if (problems.length > 0) throw badRequest(problems.map((p) => p.message).join(" "), problems);
    const values = columnValues(section, after);
    if (Object.keys(values.persons).length > 0) await assertPersonWritable(trx, actor, row);
    // Every basic change moves persons.version: it is the section's version.
    if (section === "basic") {
      await trx
        .updateTable("persons")
        .set((eb) => ({ ...values.persons, version: eb("version", "+", 1), updated_at: new Date() }))
        .where("id", "=", row.person_id)
        .execute();
    }
    if (Object.keys(values.cases).length > 0) {
      await trx.updateTable("cases").set(values.cases).where("id", "=", row.id).execute();
    }
    await repo.upsertDetails(trx, row.id, row.prefecture_code, values.details);
    await repo.touchCase(
      trx,
      row.id,
      section === "diagnosis" ? "diagnosis_version" : section === "measures" ? "measures_version" : undefined,
    );
    await recordChange(trx, actor, row, facts, { section, action: "update", before, after });
  });
  return getCaseRecord(ctx, actor, caseId, { audit: false });
}

/** POST /cases/{id}/status (措置: 現在のステータス). */
export async function setStatus(
  ctx: Ctx,
  actor: Actor,
  caseId: string,
  status: CaseStatus,
  at?: string,
): Promise<CaseRecord> {
  const when = at ? new Date(at) : new Date();
  if (when.getTime() > Date.now() + 60_000) throw fieldError("at", "未来の日時は指定できません。");
  await withCase(ctx, actor, caseId, "measures", async (trx, row, facts) => {
    const start = caseStart(row);
    if (when < start.at) {
      throw fieldError("at", `症例の始まり（${start.label} ${start.date}）より前の日時は指定できません。`);
    }
    // The same status again is nothing to do, unless it corrects when the status began.
    const since = new Date(row.status_changed_at).getTime();
    if (row.status === status && (!at || when.getTime() === since)) return;
    await changeStatus(trx, actor, { ...facts, id: row.id, status: row.status }, status, when);
  });
  return getCaseRecord(ctx, actor, caseId, { audit: false });
}

/**
 * The earliest moment a status of the case can be dated: the day of its first known date (onset,
 * specimen, diagnosis, last contact), or its creation when that is earlier. A status dated
 * before the episode began is a typing error, not a backdated change.
 */
function caseStart(row: repo.CaseRecordRow): { at: Date; date: string; label: string } {
  const created = {
    at: new Date(row.created_at),
    date: tokyoDateOf(new Date(row.created_at)),
    label: "登録日",
  };
  const dates = [
    { date: row.onset_date, label: "発病日" },
    { date: row.specimen_date, label: "検体採取日" },
    { date: row.diagnosis_date, label: "診断日" },
    { date: row.last_contact_date, label: "最終接触日" },
  ].flatMap((d) => (d.date ? [{ at: tokyoStartOfDay(d.date), date: d.date, label: d.label }] : []));
  return [created, ...dates].reduce((a, b) => (b.at < a.at ? b : a));
}

const testFlat = (t: repo.TestRow | TestRecordInput | TestRecordPatch): Flat => {
  if ("case_id" in t) {
    return {
      specimenDate: t.specimen_date,
      resultDate: t.result_date,
      method: t.method,
      specimen: t.specimen,
      result: t.result,
      note: t.note,
    };
  }
  const { version: _version, ...rest } = t as TestRecordPatch;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
};

function checkTestAgainstPerson(diseases: Diseases, row: repo.CaseRecordRow, t: Flat) {
  const specimen = t.specimenDate as string | null | undefined;
  if (row.birth_date && specimen && specimen < row.birth_date) {
    throw fieldError("specimenDate", `検体採取日が生年月日（${row.birth_date}）より前です。`);
  }
  checkCodes(diseases, row, { method: t.method as string, specimen: t.specimen as string | null });
}

type Diseases = Awaited<ReturnType<typeof allDiseases>>;

/** Symptoms, test methods and specimens come from the lists of the case's disease. */
function checkCodes(
  diseases: Diseases,
  row: repo.CaseRecordRow,
  values: Parameters<typeof caseCodeIssues>[1],
) {
  const def = diseases.get(row.disease_code);
  if (!def) return;
  const issues = caseCodeIssues(def, values);
  if (issues.length > 0) throw badRequest(issues.map((i) => i.message).join(" "), issues);
}

/** POST /cases/{id}/tests: a test record of 検査・診断. */
export async function addTest(ctx: Ctx, actor: Actor, caseId: string, body: unknown) {
  const diseases = await allDiseases(ctx.db);
  return withCase(ctx, actor, caseId, "diagnosis", async (trx, row, facts) => {
    const parsed = testRecordInput.safeParse(body, { error: jaError });
    const raw = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
    const text = (v: unknown) => (typeof v === "string" ? v : null);
    const def = diseases.get(row.disease_code);
    const codeIssues = def
      ? caseCodeIssues(def, { method: text(raw.method), specimen: text(raw.specimen) })
      : [];
    const shapeIssues = parsed.success ? [] : zodIssuesToFields(parsed.error.issues);
    const issues = [...shapeIssues, ...codeIssues.filter((c) => !shapeIssues.some((s) => s.path === c.path))];
    if (!parsed.success || issues.length > 0)
      throw badRequest(issues.map((i) => i.message).join(" "), issues);
    const input: TestRecordInput = parsed.data;
    const after = testFlat(input);
    checkTestAgainstPerson(diseases, row, after);
    const test = await trx
      .insertInto("case_tests")
      .values({
        case_id: row.id,
        prefecture_code: row.prefecture_code,
        specimen_date: input.specimenDate ?? null,
        result_date: input.resultDate ?? null,
        method: input.method,
        specimen: input.specimen ?? null,
        result: input.result,
        note: input.note ?? null,
        created_by: actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await repo.touchCase(trx, row.id);
    await recordChange(trx, actor, row, facts, {
      section: "diagnosis",
      action: "test_add",
      before: null,
      after: { testId: test.id, ...after },
    });
    return toTest(test);
  });
}

/** PATCH /cases/{id}/tests/{testId} with the test's `version`. */
export async function updateTest(
  ctx: Ctx,
  actor: Actor,
  caseId: string,
  testId: string,
  patch: TestRecordPatch,
) {
  const diseases = await allDiseases(ctx.db);
  return withCase(ctx, actor, caseId, "diagnosis", async (trx, row, facts) => {
    const test = await repo.findTest(trx, row.id, testId);
    if (!test) throw notFound("検査記録が見つかりません。");
    if (test.version !== patch.version) {
      throw conflict("他の利用者がこの検査記録を先に更新しました。", {
        version: test.version,
        current: toTest(test),
      });
    }
    const { before, after } = diff(testFlat(test), testFlat(patch));
    const merged = { ...testFlat(test), ...after };
    if (merged.specimenDate && merged.resultDate && String(merged.resultDate) < String(merged.specimenDate)) {
      throw fieldError("resultDate", "結果判明日が検体採取日より前です。");
    }
    checkTestAgainstPerson(diseases, row, merged);
    if (Object.keys(after).length === 0) return toTest(test);
    const updated = await trx
      .updateTable("case_tests")
      .set((eb) => ({
        specimen_date: merged.specimenDate as string | null,
        result_date: merged.resultDate as string | null,
        method: String(merged.method),
        specimen: (merged.specimen as string | null) ?? null,
        result: String(merged.result),
        note: (merged.note as string | null) ?? null,
        version: eb("version", "+", 1),
        updated_at: new Date(),
      }))
      .where("id", "=", test.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await repo.touchCase(trx, row.id);
    await recordChange(trx, actor, row, facts, {
      section: "diagnosis",
      action: "test_update",
      before: { testId, ...before },
      after: { testId, ...after },
    });
    return toTest(updated);
  });
}

export async function deleteTest(ctx: Ctx, actor: Actor, caseId: string, testId: string, version: number) {
  await withCase(ctx, actor, caseId, "diagnosis", async (trx, row, facts) => {
    const test = await repo.findTest(trx, row.id, testId);
    if (!test) throw notFound("検査記録が見つかりません。");
    if (test.version !== version) {
      throw conflict("他の利用者がこの検査記録を先に更新しました。", {
        version: test.version,
        current: toTest(test),
      });
    }
    await trx.deleteFrom("case_tests").where("id", "=", test.id).execute();
    await repo.touchCase(trx, row.id);
    await recordChange(trx, actor, row, facts, {
      section: "diagnosis",
      action: "test_delete",
      before: { testId, ...testFlat(test) },
      after: null,
    });
  });
}

/**
 * PUT /cases/{id}/hospital: a health center assigns (or clears) the hospital. The hospital then
 * sees the case and may write its 措置 (section rights `admitted_at_facility`).
 */
export async function assignHospital(ctx: Ctx, actor: Actor, caseId: string, facilityId: string | null) {
  authorize(actor, "assignHospital", "case");
  await withCase(ctx, actor, caseId, "measures", async (trx, row, facts) => {
    if (row.admitted_facility_id === facilityId) return;
    const hospital = facilityId
      ? await trx
          .selectFrom("facilities")
          .select(["id", "name", "kind"])
          .where("id", "=", facilityId)
          .executeTakeFirst()
      : null;
    if (facilityId && hospital?.kind !== "hospital") {
      throw fieldError("facilityId", "入院医療機関（病院）を選んでください。");
    }
    await trx
      .updateTable("cases")
      .set({ admitted_facility_id: facilityId })
      .where("id", "=", row.id)
      .execute();
    await repo.touchCase(trx, row.id, "measures_version");
    const previous = row.admitted_facility_id
      ? { id: row.admitted_facility_id, name: row.admitted_facility_name }
      : null;
    // Both the old and the new hospital hear about it (the old one loses the case).
    await recordChange(
      trx,
      actor,
      row,
      { ...facts, admittedFacilityId: facilityId ?? facts.admittedFacilityId },
      {
        section: "measures",
        action: "hospital",
        before: { admittedFacility: previous },
        after: { admittedFacility: hospital ? { id: hospital.id, name: hospital.name } : null },
      },
    );
    if (row.admitted_facility_id && facilityId) {
      await publish(trx, {
        topic: "case.updated",
        prefectureCode: row.prefecture_code,
        facilityIds: [row.admitted_facility_id],
        payload: { caseId: row.id, section: "measures", action: "hospital" },
      });
    }
  });
  return getCaseRecord(ctx, actor, caseId, { audit: false });
}

/**
 * PUT /cases/{id}/health-centers: 担当保健所 and 関係保健所. A center handing a case over stays
 * related, so it keeps the trail of what it did.
 */
export async function setHealthCenters(
  ctx: Ctx,
  actor: Actor,
  caseId: string,
  input: { responsibleHealthCenterId: string; relatedHealthCenterIds: string[] },
) {
  authorize(actor, "setHealthCenters", "case");
  await withCase(ctx, actor, caseId, "basic", async (trx, row, facts) => {
    const responsible = input.responsibleHealthCenterId;
    const previous = row.responsible_health_center_id;
    const related = new Set(input.relatedHealthCenterIds);
    if (responsible !== previous) related.add(previous);
    related.delete(responsible);
    const wanted = [responsible, ...related];
    const centers = await repo.healthCenterNames(trx, wanted);
    const known = new Map(centers.map((c) => [c.id, c]));
    const responsibleCenter = known.get(responsible);
    if (!responsibleCenter) throw fieldError("responsibleHealthCenterId", "保健所が見つかりません。");
    if (responsibleCenter.prefecture_code !== row.prefecture_code) {
      throw fieldError(
        "responsibleHealthCenterId",
        "担当保健所は同じ都道府県の保健所から選んでください（他の都道府県は関係保健所に追加します）。",
      );
    }
    const unknownIndex = input.relatedHealthCenterIds.findIndex((id) => !known.has(id));
    if (unknownIndex >= 0)
      throw fieldError(`relatedHealthCenterIds.${unknownIndex}`, "保健所が見つかりません。");
    const before = {
      responsibleHealthCenterId: previous,
      relatedHealthCenterIds: [...(row.related_ids ?? [])].sort(),
    };
    const after = { responsibleHealthCenterId: responsible, relatedHealthCenterIds: [...related].sort() };
    if (same(before, after)) return;
    await trx
      .updateTable("cases")
      .set({ responsible_health_center_id: responsible })
      .where("id", "=", row.id)
      .execute();
    await trx.deleteFrom("case_related_health_centers").where("case_id", "=", row.id).execute();
    if (related.size > 0) {
      await trx
        .insertInto("case_related_health_centers")
        .values(
          [...related].map((id) => ({
            case_id: row.id,
            health_center_id: id,
            prefecture_code: row.prefecture_code,
          })),
        )
        .execute();
    }
    await repo.touchCase(trx, row.id);
    await recordChange(
      trx,
      actor,
      row,
      { ...facts, relatedHealthCenterIds: [...new Set([...facts.relatedHealthCenterIds, ...wanted])] },
      { section: "basic", action: "health_centers", before, after },
    );
  });
  return getCaseRecord(ctx, actor, caseId, { audit: false });
}

/** POST /cases/{id}/household: the persons of two cases live together (世帯). */
export async function linkHousehold(ctx: Ctx, actor: Actor, caseId: string, otherCaseId: string) {
  if (caseId === otherCaseId) throw fieldError("caseId", "同じ症例は同居家族にできません。");
  await withCase(ctx, actor, caseId, "basic", async (trx, row, facts) => {
    const other = await repo.findCaseRecord(trx, actor, otherCaseId).executeTakeFirst();
    if (!other) throw fieldError("caseId", "同居家族の症例が見つかりません。");
    if (!sectionAllows(actor, "update", "basic", factsOf(other))) {
      throw forbidden("同居家族の症例の基本情報を編集する権限がありません。");
    }
    if (other.person_id === row.person_id) throw fieldError("caseId", "同じ人物の症例です。");
    if (row.household_id && row.household_id === other.household_id) return;
    await assertPersonWritable(trx, actor, row);
    await assertPersonWritable(trx, actor, other);
    const household = row.household_id ?? other.household_id ?? crypto.randomUUID();
    const joining = [row.household_id, other.household_id].filter(
      (h): h is string => h !== null && h !== household,
    );
    await trx
      .updateTable("persons")
      .set((eb) => ({ household_id: household, version: eb("version", "+", 1), updated_at: new Date() }))
      .where((eb) =>
        eb.or([
          eb("id", "in", [row.person_id, other.person_id]),
          ...(joining.length > 0 ? [eb("household_id", "in", joining)] : []),
        ]),
      )
      .execute();
    const detail = { householdId: household, personIds: [row.person_id, other.person_id] };
    for (const [r, f] of [
      [row, facts],
      [other, factsOf(other)],
    ] as const) {
      await repo.touchCase(trx, r.id);
      await recordChange(trx, actor, r, f, {
        section: "basic",
        action: "household_link",
        before: null,
        after: detail,
      });
    }
  });
  return getCaseRecord(ctx, actor, caseId, { audit: false });
}

/** DELETE /cases/{id}/household/{personId}: that person no longer lives with the case's person. */
export async function unlinkHousehold(ctx: Ctx, actor: Actor, caseId: string, personId: string) {
  await withCase(ctx, actor, caseId, "basic", async (trx, row, facts) => {
    if (!row.household_id) throw notFound("同居家族が見つかりません。");
    const member = await systemData(
      trx,
      "household members of the case withCase authorized; only their household link changes",
    )
      .selectFrom("persons")
      .select(["id", "household_id"])
      .where("id", "=", personId)
      .where("household_id", "=", row.household_id)
      .executeTakeFirst();
    if (!member) throw notFound("同居家族が見つかりません。");
    await trx
      .updateTable("persons")
      .set((eb) => ({ household_id: null, version: eb("version", "+", 1), updated_at: new Date() }))
      .where("id", "=", personId)
      .execute();
    // A household of one is no household.
    const left = await systemData(
      trx,
      "what is left of that household after unlinking, to dissolve a household of one",
    )
      .selectFrom("persons")
      .select("id")
      .where("household_id", "=", row.household_id)
      .limit(2)
      .execute();
    if (left.length === 1) {
      await trx.updateTable("persons").set({ household_id: null }).where("id", "=", left[0].id).execute();
    }
    await repo.touchCase(trx, row.id);
    await recordChange(trx, actor, row, facts, {
      section: "basic",
      action: "household_unlink",
      before: { householdId: row.household_id, personId },
      after: null,
    });
  });
  return getCaseRecord(ctx, actor, caseId, { audit: false });
}
