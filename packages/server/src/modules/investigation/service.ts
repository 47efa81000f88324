import { todayInTokyo } from "#domain/dates.ts";
import { infectiousPeriodFor } from "#domain/disease/infectious.ts";
import type { DiseaseDefinition } from "#domain/disease/types.ts";
import {
  type Activity,
  activityIssues,
  type Contact,
  contactIssues,
  type FieldIssue,
  type Infection,
} from "#domain/investigation.ts";
import { audit, auditList } from "../../audit/audit.ts";
import type { AppContext } from "../../context.ts";
import type { Db } from "../../db/database.ts";
import { badRequest, conflict, fieldError, notFound } from "../../http/errors.ts";
import type { Actor } from "../../policies/actor.ts";
import { scoped } from "../../policies/data.ts";
import { authorize } from "../../policies/index.ts";
import { type CaseFacts, sectionAllows } from "../../policies/sections.ts";
import { publish } from "../../realtime/outbox.ts";
import type { SectionLoaderContext } from "../cases/contributions.ts";
import {
  appendCaseHistory,
  createCase,
  insertPerson,
  loadCaseFacts,
  setLastContactDate,
} from "../cases/core.ts";
import { listDiseases } from "../diseases/repository.ts";
import { issueReportLink } from "../health/links.ts";
import { matchPersons, proposeLinks } from "../persons/matching.ts";
import * as repo from "./repository.ts";
import * as view from "./views.ts";

// 積極的疫学調査: 行動歴 and 接触者 of a case, and the center-wide lists of both. Access is the
// case's `investigation` section right; every read and write is audited.

type Ctx = Pick<AppContext, "db">;
type Paged<K> = { limit: number; after?: K };

const invalid = (issues: FieldIssue[]) =>
  badRequest(`入力内容を確認してください: ${issues.map((i) => i.path).join(", ")}`, issues);

/** The case's access facts when the actor may read (or update) its investigation section. */
async function investigationFacts(db: Db, actor: Actor, caseId: string, action: "read" | "update") {
  const facts = await loadCaseFacts(db, actor, caseId);
  authorize(actor, action, "section:investigation", facts);
  return facts;
}

const centersOf = (f: CaseFacts) => [f.responsibleHealthCenterId, ...f.relatedHealthCenterIds];

/** Keeps a page's rows and the key of the next page (computed before any row is filtered out). */
function paged<R, K>(rows: R[], limit: number, keyOf: (row: R) => K) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, next: rows.length > limit && last ? keyOf(last) : null };
}

export async function diseasesByCode(db: Db): Promise<Map<string, DiseaseDefinition>> {
  return new Map((await listDiseases(db)).map((d) => [d.code, d]));
}

// ---- 行動歴 -------------------------------------------------------------------------------

export async function addActivity(ctx: Ctx, actor: Actor, caseId: string, input: Activity) {
  const issues = activityIssues(input, todayInTokyo());
  if (input.municipalityCode && !(await repo.findMunicipality(ctx.db, input.municipalityCode)))
    issues.push({ path: "municipalityCode", message: "市区町村コードが見つかりません。" });
  if (issues.length > 0) throw invalid(issues);
  return ctx.db.transaction().execute(async (trx) => {
    const facts = await investigationFacts(trx, actor, caseId, "update");
    const row = await repo.insertActivity(
      trx,
      { caseId, prefectureCode: facts.prefectureCode, actorId: actor.userId },
      input,
    );
    await appendCaseHistory(trx, {
      section: "investigation",
      caseId,
      prefectureCode: facts.prefectureCode,
      actorId: actor.userId,
      action: "activity.create",
      after: { id: row.id, ...input },
    });
    await audit(trx, actor, {
      action: "create",
      entity: "case_activity",
      entityId: row.id,
      prefectureCode: facts.prefectureCode,
      detail: { caseId },
    });
    await publish(trx, {
      topic: "investigation.activity",
      prefectureCode: facts.prefectureCode,
      healthCenterIds: centersOf(facts),
      payload: { caseId, activityId: row.id },
    });
    return { id: row.id };
  });
}

export async function caseActivities(
  ctx: Ctx,
  actor: Actor,
  caseId: string,
  { limit, after }: Paged<repo.CaseActivityKey>,
) {
  const facts = await investigationFacts(ctx.db, actor, caseId, "read");
  const rows = await repo.listCaseActivities(ctx.db, caseId, { limit: limit + 1, after });
  const { page, next } = paged(rows, limit, (a) => ({ d: a.date, t: a.start_time ?? "", i: a.id }));
  await audit(ctx.db, actor, {
    action: "read",
    entity: "case_activities",
    entityId: caseId,
    prefectureCode: facts.prefectureCode,
  });
  return { items: page.map(view.activityView), next };
}

/** 行動歴一覧: activities of every case whose investigation the actor may read. */
export async function activities(
  ctx: Ctx,
  actor: Actor,
  filter: repo.ActivityFilter,
  { limit, after }: Paged<repo.ListKey>,
) {
  const rows = await repo.listActivities(ctx.db, actor, filter, { limit: limit + 1, after });
  const { page, next } = paged(rows, limit, (a) => ({ d: a.date, i: a.id }));
  const readable = page.filter((a) => sectionAllows(actor, "read", "investigation", view.factsOfRow(a)));
  await auditList(
    ctx.db,
    actor,
    "case_activity",
    readable.map((a) => a.id),
    { caseIds: [...new Set(readable.map((a) => a.case_id))] },
  );
  return { items: readable.map(view.activityListView), next };
}

// ---- 接触者 -------------------------------------------------------------------------------

/**
 * The person a contact is (once-only): the oldest matching person this center holds, or null
 * for a new one. Matches only other centers hold are returned apart, to be proposed to them.
 */
async function matchedPerson(db: Db, actor: Actor, c: Contact) {
  const { own, elsewhere } = await matchPersons(db, actor, {
    nameKana: c.nameKana,
    birthDate: c.birthDate,
    phone: c.phone,
  });
  return { personId: own[0]?.id ?? null, elsewhere };
}

/** The 関係保健所 of the contact's address when another center than the index case's covers it. */
async function relatedCenterOf(db: Db, address: Contact["address"], index: CaseFacts) {
  if (!address) return null;
  const municipality = await repo.findMunicipality(db, address.municipalityCode);
  if (!municipality)
    throw fieldError(
      "address.municipalityCode",
      "この市区町村コードはどの保健所にも割り当てられていません。",
    );
  const center = municipality.health_center_id;
  return center === index.responsibleHealthCenterId ? null : center;
}

type ContactCase = {
  id: string;
  personId: string;
  lastContactDate: string | null;
  healthCenterIds: string[];
  reused: boolean;
};

/** The contact's own case: a new `contact` case owned by the index case's center. */
async function newContactCase(
  trx: Db,
  actor: Actor,
  index: CaseFacts & { diseaseCode: string },
  personId: string | null,
  related: string | null,
  c: Contact,
): Promise<ContactCase> {
  const id =
    personId ??
    (await insertPerson(trx, {
      prefectureCode: index.prefectureCode,
      nameKanji: c.nameKanji,
      nameKana: c.nameKana,
      birthDate: c.birthDate,
      sex: c.sex,
      phone: c.phone,
      postalCode: c.postalCode,
      address: c.address,
    }));
  const created = await createCase(trx, actor, {
    personId: id,
    prefectureCode: index.prefectureCode,
    status: "contact",
    responsibleHealthCenterId: index.responsibleHealthCenterId,
    relatedHealthCenterIds: related ? [related] : [],
    lastContactDate: c.lastContactDate,
    diseaseCode: index.diseaseCode,
  });
  return {
    id: created.id,
    personId: id,
    lastContactDate: c.lastContactDate,
    healthCenterIds: [index.responsibleHealthCenterId, ...(related ? [related] : [])],
    reused: false,
  };
}

/**
 * A case of the person the actor already follows: no second case. A contact case's waiting
 * period then runs from the latest contact.
 */
async function reuseCase(
  trx: Db,
  actor: Actor,
  personId: string,
  existing: NonNullable<Awaited<ReturnType<typeof repo.findOpenCaseOfPerson>>>,
  c: Contact,
): Promise<ContactCase> {
  let lastContactDate = existing.last_contact_date;
  if (existing.status === "contact" && (lastContactDate ?? "") < c.lastContactDate) {
    await setLastContactDate(trx, existing.id, c.lastContactDate);
    await appendCaseHistory(trx, {
      section: "investigation",
      caseId: existing.id,
      prefectureCode: existing.prefecture_code,
      actorId: actor.userId,
      action: "lastContactDate",
      before: { lastContactDate },
      after: { lastContactDate: c.lastContactDate },
    });
    lastContactDate = c.lastContactDate;
  }
  return {
    id: existing.id,
    personId,
    lastContactDate,
    healthCenterIds: [existing.responsible_health_center_id],
    reused: true,
  };
}

const isUniqueViolation = (error: unknown) => (error as { code?: string } | null)?.code === "23505";

/**
 * Registers a contact of a case: the person (matched once-only or new), the contact's case
 * under observation, and the link index case → contact case, in one transaction.
 */
export async function addContact(ctx: Ctx, actor: Actor, indexCaseId: string, input: Contact) {
  const issues = contactIssues(input, todayInTokyo());
  if (issues.length > 0) throw invalid(issues);
  const diseases = await diseasesByCode(ctx.db);
  return ctx.db.transaction().execute(async (trx) => {
    const facts = await investigationFacts(trx, actor, indexCaseId, "update");
    const indexCase = await repo.findCaseDisease(trx, indexCaseId);
    const related = await relatedCenterOf(trx, input.address, facts);
    const { personId, elsewhere } = await matchedPerson(trx, actor, input);
    if (personId === indexCase.person_id)
      throw fieldError("nameKana", "症例本人を接触者として登録することはできません。");
    const existing = personId ? await repo.findOpenCaseOfPerson(trx, actor, personId) : undefined;
    const contactCase =
      personId && existing
        ? await reuseCase(trx, actor, personId, existing, input)
        : await newContactCase(
            trx,
            actor,
            { ...facts, diseaseCode: indexCase.disease_code },
            personId,
            related,
            input,
          );
    const linked = await repo.findContactLink(trx, indexCaseId, contactCase.id);
    if (linked)
      throw conflict("この接触者はすでに登録されています。", {
        id: linked.id,
        personId: contactCase.personId,
        caseId: contactCase.id,
      });
    const row = await repo
      .insertContact(trx, {
        indexCaseId,
        contactCaseId: contactCase.id,
        prefectureCode: facts.prefectureCode,
        relationship: input.relationship,
        lastContactDate: input.lastContactDate,
        note: input.note,
        actorId: actor.userId,
      })
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? conflict("この接触者はすでに登録されています。") : error;
      });
    await recordContact(trx, actor, facts, indexCaseId, contactCase, row.id, input);
    // A match only another center holds: ours stays a separate person until that center accepts.
    const linkProposals = contactCase.reused
      ? []
      : await proposeLinks(trx, actor, {
          elsewhere: personId ? [] : elsewhere,
          proposedPersonId: contactCase.personId,
          proposingCaseId: contactCase.id,
          prefectureCode: facts.prefectureCode,
          source: "contact",
        });
    const period = view.contactPeriod(diseases.get(indexCase.disease_code), contactCase.lastContactDate);
    return {
      id: row.id,
      personId: contactCase.personId,
      caseId: contactCase.id,
      indexCaseId,
      relationship: input.relationship,
      lastContactDate: input.lastContactDate,
      matchedExistingPerson: personId !== null,
      linkedExistingCase: contactCase.reused,
      linkProposals,
      observationEndDate: period?.endDate ?? null,
      observationPeriod: period,
    };
  });
}

/** History on both cases, the audit row and the live event of a new contact. */
async function recordContact(
  trx: Db,
  actor: Actor,
  facts: CaseFacts,
  indexCaseId: string,
  contactCase: ContactCase,
  contactId: string,
  c: Contact,
) {
  const link = { contactId, relationship: c.relationship, lastContactDate: c.lastContactDate };
  await appendCaseHistory(trx, {
    section: "investigation",
    caseId: indexCaseId,
    prefectureCode: facts.prefectureCode,
    actorId: actor.userId,
    action: "contact.create",
    // Named, so the index case's history says who was registered.
    after: { contactName: c.nameKanji ?? c.nameKana, ...link, contactCaseId: contactCase.id },
  });
  await appendCaseHistory(trx, {
    section: "investigation",
    caseId: contactCase.id,
    prefectureCode: facts.prefectureCode,
    actorId: actor.userId,
    action: "contact.link",
    after: { ...link, indexCaseId },
  });
  await audit(trx, actor, {
    action: "create",
    entity: "case_contact",
    entityId: contactId,
    prefectureCode: facts.prefectureCode,
    detail: { indexCaseId, contactCaseId: contactCase.id, personId: contactCase.personId },
  });
  await publish(trx, {
    topic: "investigation.contact",
    prefectureCode: facts.prefectureCode,
    healthCenterIds: [...new Set([...centersOf(facts), ...contactCase.healthCenterIds])],
    payload: { caseId: indexCaseId, contactCaseId: contactCase.id, contactId },
  });
}

export async function caseContacts(
  ctx: Ctx,
  actor: Actor,
  indexCaseId: string,
  { limit, after }: Paged<repo.CaseContactKey>,
) {
  const facts = await investigationFacts(ctx.db, actor, indexCaseId, "read");
  const rows = await repo.listCaseContacts(ctx.db, actor, indexCaseId, { limit: limit + 1, after });
  const { page, next } = paged(rows, limit, (c) => ({ c: c.created_at.toISOString(), i: c.id }));
  const diseases = page.length > 0 ? await diseasesByCode(ctx.db) : new Map();
  await audit(ctx.db, actor, {
    action: "read",
    entity: "case_contacts",
    entityId: indexCaseId,
    prefectureCode: facts.prefectureCode,
    detail: { caseIds: page.map((c) => c.contact_case_id) },
  });
  return { items: page.map((c) => view.contactView(c, diseases.get(c.disease_code))), next };
}

/** 接触者一覧 of the center: contacts whose case's investigation the actor may read. */
export async function contacts(
  ctx: Ctx,
  actor: Actor,
  filter: repo.ContactFilter,
  { limit, after }: Paged<repo.ListKey>,
) {
  const rows = await repo.listContacts(ctx.db, actor, filter, { limit: limit + 1, after });
  const { page, next } = paged(rows, limit, (c) => ({ d: c.last_contact_date, i: c.id }));
  const readable = page.filter((c) => sectionAllows(actor, "read", "investigation", view.factsOfRow(c)));
  const diseases = readable.length > 0 ? await diseasesByCode(ctx.db) : new Map();
  await auditList(
    ctx.db,
    actor,
    "case_contact",
    readable.map((c) => c.id),
    { caseIds: readable.map((c) => c.contact_case_id) },
  );
  return { items: readable.map((c) => view.contactListView(c, diseases.get(c.disease_code))), next };
}

// ---- The investigation section of GET /cases/{id} -----------------------------------------

// A record shows this many of each; the lists above page through the rest.
const SECTION_ROWS = 100;

export async function sectionActivities(db: Db, _actor: Actor, c: SectionLoaderContext) {
  const rows = await repo.listCaseActivities(db, c.caseId, { limit: SECTION_ROWS });
  return rows.map(view.activityView);
}

export async function sectionContacts(db: Db, actor: Actor, c: SectionLoaderContext) {
  const rows = await repo.listCaseContacts(db, actor, c.caseId, { limit: SECTION_ROWS });
  const diseases = rows.length > 0 ? await diseasesByCode(db) : new Map();
  return rows.map((row) => view.contactView(row, diseases.get(row.disease_code)));
}

/** Index cases this case is a contact of, then source cases named on the case. */
export async function sectionInfectionSources(db: Db, actor: Actor, c: SectionLoaderContext) {
  const rows = await repo.listInfectionSources(db, actor, c.caseId);
  const manual = await repo.listManualSources(db, actor, c.caseId);
  const linked = new Set(rows.map((r) => r.index_case_id));
  return [
    ...rows.map(view.sourceView),
    ...manual.filter((m) => !linked.has(m.source_case_id)).map(view.manualSourceView),
  ];
}

// ---- 感染リンク / 感染経路 ---------------------------------------------------------------

/** The case's infection link and route: as last edited, else as its 発生届 said. */
async function currentInfection(db: Db, caseId: string) {
  const row = await repo.findInfection(db, caseId);
  if (row)
    return {
      linkKnown: row.link_known,
      route: row.route,
      certainty: row.certainty,
      place: row.place,
      note: row.note,
      fromNotification: row.updated_by === null,
      updatedAt: row.updated_at.toISOString(),
    };
  const n = await repo.notificationInfection(db, caseId);
  // A contact who became a patient: the contact record names the source and the route where
  // the 発生届 does not.
  const contactRoute = await repo.contactRouteOf(db, caseId);
  const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
  return {
    linkKnown: typeof n?.linkKnown === "boolean" ? n.linkKnown : contactRoute ? true : null,
    route: text(n?.route) ?? contactRoute,
    certainty: text(n?.certainty),
    place: text(n?.detail),
    note: null,
    fromNotification: n !== null,
    updatedAt: null,
  };
}

export async function sectionInfection(db: Db, _actor: Actor, c: SectionLoaderContext) {
  return currentInfection(db, c.caseId);
}

/** Edits the infection link and route on the case, with history; source cases must be visible. */
export async function updateInfection(ctx: Ctx, actor: Actor, caseId: string, input: Infection) {
  const sourceIds = [...new Set(input.sourceCaseIds)];
  const issues: FieldIssue[] = sourceIds.flatMap((id, i) =>
    id === caseId
      ? [{ path: `sourceCaseIds.${i}`, message: "症例自身を感染源にすることはできません。" }]
      : [],
  );
  if (issues.length > 0) throw invalid(issues);
  return ctx.db.transaction().execute(async (trx) => {
    const facts = await investigationFacts(trx, actor, caseId, "update");
    for (const [i, id] of sourceIds.entries())
      if (!(await repo.findVisibleCaseId(trx, actor, id)))
        throw Object.assign(notFound("指定された感染源の症例が見つかりません。"), {
          details: [{ path: `sourceCaseIds.${i}`, message: "指定された症例が見つかりません。" }],
        });
    const before = await currentInfection(trx, caseId);
    const beforeSources = (await repo.listManualSourceIds(trx, caseId)).map((s) => s.source_case_id);
    await repo.upsertInfection(trx, caseId, facts.prefectureCode, input, actor.userId);
    await repo.replaceManualSources(trx, caseId, facts.prefectureCode, sourceIds, actor.userId);
    const after = { ...input, sourceCaseIds: sourceIds };
    await appendCaseHistory(trx, {
      section: "investigation",
      caseId,
      prefectureCode: facts.prefectureCode,
      actorId: actor.userId,
      action: "infection.update",
      before: {
        linkKnown: before.linkKnown,
        route: before.route,
        certainty: before.certainty,
        place: before.place,
        note: before.note,
        sourceCaseIds: beforeSources,
      },
      after,
    });
    await audit(trx, actor, {
      action: "update",
      entity: "case_infection",
      entityId: caseId,
      prefectureCode: facts.prefectureCode,
    });
    await publish(trx, {
      topic: "investigation.infection",
      prefectureCode: facts.prefectureCode,
      healthCenterIds: centersOf(facts),
      payload: { caseId },
    });
    return currentInfection(trx, caseId);
  });
}

// ---- Copying a household member's 行動歴 ----------------------------------------------------

/**
 * Copies activities of a household member's case to this case (people living together were
 * mostly at the same places): one transaction, history and audit per copy.
 */
export async function copyActivities(
  ctx: Ctx,
  actor: Actor,
  caseId: string,
  input: { fromCaseId: string; activityIds?: string[] },
) {
  if (input.fromCaseId === caseId) throw fieldError("fromCaseId", "同じ症例からは複写できません。");
  const created = await ctx.db.transaction().execute(async (trx) => {
    const facts = await investigationFacts(trx, actor, caseId, "update");
    await investigationFacts(trx, actor, input.fromCaseId, "read").catch(() => {
      throw Object.assign(notFound("複写元の症例が見つかりません。"), {
        details: [{ path: "fromCaseId", message: "複写元の症例が見つかりません。" }],
      });
    });
    if (!(await repo.sameHousehold(trx, caseId, input.fromCaseId)))
      throw fieldError("fromCaseId", "同居家族（世帯）の症例からのみ複写できます。");
    const source = await repo.activitiesOfCase(trx, input.fromCaseId, input.activityIds);
    if (input.activityIds && source.length !== new Set(input.activityIds).size)
      throw fieldError("activityIds", "複写元の症例の行動歴ではないものが含まれています。");
    const ids: string[] = [];
    for (const a of source) {
      const activity: Activity = {
        date: a.date,
        startTime: a.start_time,
        endTime: a.end_time,
        place: a.place,
        placeKind: a.place_kind,
        placeAddress: a.place_address,
        municipalityCode: a.municipality_code,
        peoplePresent: a.people_present,
        precautions: a.precautions,
        note: a.note,
      };
      const row = await repo.insertActivity(
        trx,
        { caseId, prefectureCode: facts.prefectureCode, actorId: actor.userId },
        activity,
      );
      ids.push(row.id);
      await appendCaseHistory(trx, {
        section: "investigation",
        caseId,
        prefectureCode: facts.prefectureCode,
        actorId: actor.userId,
        action: "activity.copy",
        after: { id: row.id, fromCaseId: input.fromCaseId, fromActivityId: a.id, ...activity },
      });
    }
    await audit(trx, actor, {
      action: "create",
      entity: "case_activity",
      entityId: caseId,
      prefectureCode: facts.prefectureCode,
      listedIds: ids,
      detail: { copiedFrom: input.fromCaseId },
    });
    await publish(trx, {
      topic: "investigation.activity",
      prefectureCode: facts.prefectureCode,
      healthCenterIds: centersOf(facts),
      payload: { caseId, activityIds: ids },
    });
    return ids;
  });
  return { ids: created };
}

// ---- Enrolling contacts for self-reporting ---------------------------------------------------

/**
 * Issues 健康観察 links to many contacts at once (the health module sends them). Every case is
 * checked first, so a bad id stores nothing; each link is then its own transaction.
 */
export async function enrolContacts(
  ctx: AppContext,
  actor: Actor,
  input: { caseIds: string[]; channel?: "sms" | "email" | "none" },
) {
  const caseIds = [...new Set(input.caseIds)];
  for (const [i, id] of caseIds.entries()) {
    const facts = await loadCaseFacts(ctx.db, actor, id).catch(() => null);
    if (!facts || !sectionAllows(actor, "update", "investigation", facts))
      throw Object.assign(notFound("指定された接触者が見つかりません。"), {
        details: [{ path: `caseIds.${i}`, message: "指定された接触者が見つかりません。" }],
      });
  }
  const items = [];
  for (const caseId of caseIds) {
    const link = await issueReportLink(ctx, actor, caseId, { householdCaseIds: [], channel: input.channel });
    items.push({
      caseId,
      url: link.url,
      expiresAt: link.expiresAt,
      messageId: link.messageId,
      delivery: link.delivery,
    });
  }
  return { items };
}

/** 感染可能期間 of the case under its disease's rule, for the 行動歴 timeline. */
export async function sectionInfectiousPeriod(db: Db, actor: Actor, c: SectionLoaderContext) {
  const row = await scoped(db, actor)
    .cases()
    .select(["cases.onset_date", "cases.specimen_date", "cases.disease_code"])
    .where("cases.id", "=", c.caseId)
    .executeTakeFirstOrThrow();
  const def = (await diseasesByCode(db)).get(row.disease_code);
  const period = infectiousPeriodFor(def?.infectiousPeriods, {
    onsetDate: row.onset_date,
    specimenDate: row.specimen_date,
  });
  return period
    ? {
        startDate: period.startDate,
        endDate: period.endDate,
        basis: period.basis,
        basisDate: period.basisDate,
        daysBefore: period.rule.daysBefore,
        daysAfter: period.rule.daysAfter,
      }
    : null;
}
