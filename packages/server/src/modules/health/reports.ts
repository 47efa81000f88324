import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { healthReportSchema } from "#domain/alerts.ts";
import { audit } from "../../audit/audit.ts";
import type { AppContext } from "../../context.ts";
import type { Db } from "../../db/database.ts";
import { badRequest, conflict, fieldError, notFound, zodIssuesToFields } from "../../http/errors.ts";
import type { Actor } from "../../policies/actor.ts";
import { findPerson } from "../cases/repository.ts";
import { requireObservationAccess } from "./access.ts";
import { autoCallScript, parseKeypadAnswers } from "./autocall.ts";
import { diseaseLookup } from "./rules.ts";
import { caseTarget, sha256, storeReport, unattendedSource } from "./service.ts";
import { type AutoCallTransport, simulatedAutoCallTransport } from "./transport.ts";
import { reportView } from "./views.ts";

/** A case's reports for staff, newest first, keyset-paged by (measured_at, id). */
export async function listCaseReports(
  ctx: AppContext,
  actor: Actor,
  caseId: string,
  limit: number,
  after: { at: string; id: string } | undefined,
) {
  const facts = await requireObservationAccess(ctx.db, actor, caseId, "read");
  let q = ctx.db
    .selectFrom("health_reports")
    .selectAll()
    .where("case_id", "=", caseId)
    .orderBy("measured_at", "desc")
    .orderBy("id", "desc")
    .limit(limit + 1);
  if (after) q = q.where(sql<boolean>`(measured_at, id) < (${new Date(after.at)}, ${after.id}::uuid)`);
  const rows = await q.execute();
  const page = rows.slice(0, limit);
  await audit(ctx.db, actor, {
    action: "list",
    entity: "health_report",
    entityId: caseId,
    prefectureCode: facts.prefectureCode,
    listedIds: page.map((r) => r.id),
  });
  const last = page.at(-1);
  return {
    items: page.map(reportView),
    nextCursor:
      rows.length > limit && last
        ? Buffer.from(JSON.stringify({ at: last.measured_at.toISOString(), id: last.id })).toString(
            "base64url",
          )
        : null,
  };
}

/**
 * The latest `perCase` reports of each of a page of cases, newest first, in one query (exports).
 * The caller has checked the observation section's access and logs the read.
 */
export async function latestReportsOf(db: Db, caseIds: string[], perCase: number) {
  if (caseIds.length === 0) return new Map<string, ReturnType<typeof reportView>[]>();
  const rows = await db
    .selectFrom((eb) =>
      eb
        .selectFrom("health_reports")
        .selectAll()
        .select(
          sql<number>`row_number() over (partition by case_id order by measured_at desc, id desc)`.as("rank"),
        )
        .where("case_id", "in", caseIds)
        .as("h"),
    )
    .selectAll()
    .where("rank", "<=", perCase)
    .orderBy("case_id")
    .orderBy("measured_at", "desc")
    .orderBy("id", "desc")
    .execute();
  return Map.groupBy(rows.map(reportView), (r) => r.caseId);
}

// The transport in use; development runs the simulated one.
const autoCallTransport: AutoCallTransport = simulatedAutoCallTransport;

/** 自動架電: places an automated call whose keypad answers come back as a report. */
export async function startAutoCall(ctx: AppContext, actor: Actor, caseId: string) {
  return ctx.db.transaction().execute(async (trx) => {
    const facts = await requireObservationAccess(trx, actor, caseId, "update");
    const person = await findPerson(trx, facts.personId);
    if (!person.phone) throw fieldError("phone", "電話番号が登録されていません");
    const { urgentSymptoms } = (await diseaseLookup(trx))((await caseTarget(trx, caseId)).diseaseCode);
    const callbackToken = randomBytes(24).toString("base64url");
    const call = await trx
      .insertInto("health_auto_calls")
      .values({
        case_id: caseId,
        prefecture_code: facts.prefectureCode,
        phone: person.phone,
        callback_token_hash: sha256(callbackToken),
        requested_by: actor.userId,
        urgent_symptoms: urgentSymptoms,
      })
      .returning(["id", "state", "created_at"])
      .executeTakeFirstOrThrow();
    await autoCallTransport.place(trx, {
      id: call.id,
      caseId,
      prefectureCode: facts.prefectureCode,
      phone: person.phone,
      callbackToken,
      script: autoCallScript(urgentSymptoms),
    });
    await audit(trx, actor, {
      action: "create",
      entity: "health_auto_call",
      entityId: call.id,
      prefectureCode: facts.prefectureCode,
      detail: { caseId, transport: autoCallTransport.name },
    });
    return { id: call.id, state: call.state, createdAt: call.created_at.toISOString() };
  });
}

/** The telephony side posts the keypad answers of a call, authenticated by the call's token. */
export async function answerAutoCall(db: Db, callId: string, token: string, digits: string, ip: string) {
  return db.transaction().execute(async (trx) => {
    const call = await trx
      .selectFrom("health_auto_calls")
      .selectAll()
      .where("id", "=", callId)
      .where("callback_token_hash", "=", sha256(token))
      .forUpdate()
      .executeTakeFirst();
    if (!call) throw notFound();
    if (call.state !== "placed") throw conflict("この通話は既に回答済みです。");
    const now = new Date();
    const target = await caseTarget(trx, call.case_id);
    // Numbered as the call spoke them (calls placed before the column: the definition in force).
    const asked = call.urgent_symptoms ?? (await diseaseLookup(trx))(target.diseaseCode).urgentSymptoms;
    const parsed = parseKeypadAnswers(digits, asked);
    if (!parsed.ok) throw fieldError("digits", `${parsed.step}: ${parsed.message}`);
    const checked = healthReportSchema.safeParse(parsed.report);
    if (!checked.success)
      throw badRequest("入力内容を確認してください", zodIssuesToFields(checked.error.issues, ["digits"]));
    const stored = await storeReport(
      trx,
      target.caseId,
      checked.data,
      now,
      unattendedSource("auto_call", "auto_call", ip),
      `call:${call.id}`,
    );
    await trx
      .updateTable("health_auto_calls")
      .set({ state: "answered", answered_at: now, report_id: stored.id })
      .where("id", "=", call.id)
      .execute();
    return { callId: call.id, reportId: stored.id, alerts: stored.alerts };
  });
}
