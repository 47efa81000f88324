import { randomBytes } from "node:crypto";
import type { Selectable } from "kysely";
import { observedCaseStatuses, urgentChecklistOf } from "#domain/codes.ts";
import { todayInTokyo, tokyoStartOfDay } from "#domain/dates.ts";
import { canReceiveSms } from "#domain/kana.ts";
import { audit } from "../../audit/audit.ts";
import type { AppContext } from "../../context.ts";
import type { Db } from "../../db/database.ts";
import type { DB } from "../../db/schema.ts";
import { DEVICE_TOKEN_PREFIX, unknownDevice } from "../../http/auth.ts";
import { AppError, conflict, fieldError, notFound } from "../../http/errors.ts";
import type { Actor } from "../../policies/actor.ts";
import { scoped, systemData } from "../../policies/data.ts";
import { loadCaseFacts } from "../cases/core.ts";
import { findPerson } from "../cases/repository.ts";
import { requireObservationAccess } from "./access.ts";
import { diseaseLookup } from "./rules.ts";
import { sha256 } from "./service.ts";
import { messageRouteOf, queueMessage, transportsFor } from "./transport.ts";
import { periodOf, reportView } from "./views.ts";

// A link lives long enough for an SMS read the next morning, and no longer.
const LINK_HOURS = 72;

/** The first message, in the patient's language: who sends it, what to do, and the link. */
function linkText(language: string, center: string, url: string) {
  const h = LINK_HOURS;
  const texts: Record<string, string> = {
    ja: `【${center}】健康観察のご案内です。毎日の体調を次のページから入力してください（${h}時間以内に開いてください）。 ${url}`,
    en: `[${center}] Daily health check: please report how you feel each day on this page (open it within ${h} hours). ${url}`,
    zh: `【${center}】健康观察通知：请每天在以下页面报告身体状况（请在${h}小时内打开）。 ${url}`,
    ko: `[${center}] 건강 관찰 안내: 매일 아래 페이지에서 몸 상태를 입력해 주십시오(${h}시간 이내에 열어 주십시오). ${url}`,
    vi: `[${center}] Theo dõi sức khỏe: vui lòng báo cáo tình trạng mỗi ngày tại trang này (mở trong vòng ${h} giờ). ${url}`,
    ne: `[${center}] दैनिक स्वास्थ्य जाँच: कृपया यो पृष्ठमा हरेक दिन आफ्नो अवस्था जानकारी दिनुहोस् (${h} घण्टाभित्र खोल्नुहोस्)। ${url}`,
    pt: `[${center}] Acompanhamento de saúde: informe diariamente como se sente nesta página (abra em até ${h} horas). ${url}`,
    tl: `[${center}] Araw-araw na pagsusuri ng kalusugan: iulat ang iyong kalagayan araw-araw sa pahinang ito (buksan sa loob ng ${h} oras). ${url}`,
  };
  return texts[language] ?? texts.ja;
}

type LinkDelivery = "queued" | "held" | "none";

const newToken = (prefix: string) => `${prefix}${randomBytes(32).toString("base64url")}`;

/** 健康観察 link for the patient: one-time, its token only in the URL fragment (never in logs). */
export async function issueReportLink(
  ctx: AppContext,
  actor: Actor,
  caseId: string,
  input: { householdCaseIds: string[]; channel?: "sms" | "email" | "none"; language?: string },
) {
  return ctx.db.transaction().execute(async (trx) => {
    const facts = await requireObservationAccess(trx, actor, caseId, "update");
    const household = [...new Set(input.householdCaseIds)].filter((id) => id !== caseId);
    for (const [i, id] of household.entries()) {
      const member = await loadCaseFacts(trx, actor, id).catch(() => null);
      if (!member) throw fieldError(`householdCaseIds.${i}`, "症例が見つかりません");
    }
    const person = await findPerson(trx, facts.personId);
    const channel = input.channel ?? messageRouteOf(person)?.channel ?? "none";
    const recipient = channel === "sms" ? person.phone : channel === "email" ? person.email : "";
    if (channel !== "none" && !recipient)
      throw fieldError(
        "channel",
        channel === "sms" ? "電話番号が登録されていません" : "メールアドレスが登録されていません",
      );
    if (channel === "sms" && recipient && !canReceiveSms(recipient))
      throw fieldError("channel", "SMSは携帯電話の番号（070・080・090）にしか送れません。");
    const token = newToken("");
    const expiresAt = new Date(Date.now() + LINK_HOURS * 3600_000);
    await trx
      .insertInto("health_report_links")
      .values({
        token_hash: sha256(token),
        case_id: caseId,
        prefecture_code: facts.prefectureCode,
        household_case_ids: household,
        created_by: actor.userId,
        expires_at: expiresAt,
      })
      .execute();
    const url = `${ctx.config.publicUrl}/my/#t=${token}`;
    const messageId =
      channel === "none"
        ? null
        : await queueMessage(trx, {
            caseId,
            prefectureCode: facts.prefectureCode,
            channel,
            kind: "link",
            recipient: recipient!,
            body: linkText(input.language ?? "ja", actor.affiliation.name, url),
            language: input.language ?? "ja",
          });
    await audit(trx, actor, {
      action: "create",
      entity: "health_report_link",
      entityId: caseId,
      prefectureCode: facts.prefectureCode,
      detail: { householdCaseIds: household, channel },
    });
    // Said at once, so that staff tell the patient the URL themselves when nothing will carry it.
    const delivery: LinkDelivery =
      channel === "none" ? "none" : transportsFor(ctx.config.delivery)[channel] ? "queued" : "held";
    return { url, token, expiresAt: expiresAt.toISOString(), messageId, delivery };
  });
}

const gone = (code: string, message: string) => new AppError(410, code, message);

/** Exchanges a one-time link for a device token; only the hashes of both are kept. */
export async function exchangeLink(db: Db, linkToken: string, ip: string) {
  return db.transaction().execute(async (trx) => {
    const link = await systemData(trx, "a patient's one-time link: its case is the link's own")
      .selectFrom("health_report_links as l")
      .innerJoin("cases as c", "c.id", "l.case_id")
      .select([
        "l.id",
        "l.case_id",
        "l.prefecture_code",
        "l.household_case_ids",
        "l.expires_at",
        "l.used_at",
        "c.person_id",
      ])
      .where("l.token_hash", "=", sha256(linkToken))
      .forUpdate("l")
      .executeTakeFirst();
    if (!link) throw notFound("このリンクは無効です。保健所にお問い合わせください。");
    if (link.used_at) throw gone("link_used", "このリンクは使用済みです。保健所にお問い合わせください。");
    if (link.expires_at < new Date())
      throw gone("link_expired", "このリンクは有効期限が切れています。保健所にお問い合わせください。");
    const deviceToken = newToken(DEVICE_TOKEN_PREFIX);
    const device = await trx
      .insertInto("health_devices")
      .values({
        token_hash: sha256(deviceToken),
        person_id: link.person_id,
        primary_case_id: link.case_id,
        prefecture_code: link.prefecture_code,
        link_id: link.id,
        last_seen_at: new Date(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const caseIds = [link.case_id, ...link.household_case_ids];
    const cases = await systemData(trx, "a patient's one-time link: the link's own case and its household's")
      .selectFrom("cases")
      .select(["id", "prefecture_code"])
      .where("id", "in", caseIds)
      .execute();
    await trx
      .insertInto("health_device_cases")
      .values(cases.map((c) => ({ device_id: device.id, case_id: c.id, prefecture_code: c.prefecture_code })))
      .execute();
    await trx
      .updateTable("health_report_links")
      .set({ used_at: new Date(), device_id: device.id })
      .where("id", "=", link.id)
      .execute();
    await audit(trx, null, {
      action: "create",
      entity: "health_device",
      entityId: device.id,
      prefectureCode: link.prefecture_code,
      detail: { caseIds, ip },
    });
    return { deviceToken };
  });
}

/** The device behind a bearer token; 401 when unknown or revoked. */
export async function requireDevice(db: Db, token: string | null) {
  const device = token
    ? await db
        .selectFrom("health_devices")
        .selectAll()
        .where("token_hash", "=", sha256(token))
        .where("revoked_at", "is", null)
        .executeTakeFirst()
    : undefined;
  if (!device) throw unknownDevice();
  return device;
}

type Device = Awaited<ReturnType<typeof requireDevice>>;

function deviceCases(db: Db, deviceId: string) {
  return systemData(db, "a patient device: the cases it is bound to")
    .selectFrom("health_device_cases as dc")
    .innerJoin("cases as c", "c.id", "dc.case_id")
    .innerJoin("persons as p", "p.id", "c.person_id")
    .innerJoin("health_centers as hc", "hc.id", "c.responsible_health_center_id")
    .leftJoin("health_observations as o", "o.case_id", "c.id")
    .select([
      "c.id",
      "c.case_number",
      "c.person_id",
      "c.status",
      "c.status_changed_at",
      "c.disease_code",
      "c.diagnosis_class",
      "c.onset_date",
      "c.specimen_date",
      "c.diagnosis_date",
      "c.last_contact_date",
      "c.prefecture_code",
      "p.name_kanji",
      "p.name_kana",
      "p.birth_date",
      "hc.name as hc_name",
      "hc.phone as hc_phone",
      "o.last_report_at",
      "o.alert_rank",
    ])
    .where("dc.device_id", "=", deviceId)
    .orderBy("c.created_at");
}

/** What the patient app shows: the people this device reports for and their periods. */
export async function selfOverview(db: Db, token: string | null, ip: string) {
  const device = await requireDevice(db, token);
  const rows = await deviceCases(db, device.id).execute();
  const todayStart = tokyoStartOfDay(todayInTokyo());
  const diseaseOf = await diseaseLookup(db);
  await db
    .updateTable("health_devices")
    .set({ last_seen_at: new Date() })
    .where("id", "=", device.id)
    .execute();
  await auditDevice(db, device, "read", "self_overview", { caseIds: rows.map((r) => r.id), ip });
  return {
    deviceId: device.id,
    reminderTime: device.reminder_time,
    language: device.language,
    cases: rows.map((r) => ({
      caseId: r.id,
      self: r.person_id === device.person_id,
      nameKanji: r.name_kanji,
      nameKana: r.name_kana,
      status: r.status,
      underObservation: observedCaseStatuses.includes(r.status),
      period: periodOf(r, diseaseOf(r.disease_code)),
      lastReportAt: r.last_report_at?.toISOString() ?? null,
      reportedToday: r.last_report_at !== null && r.last_report_at >= todayStart,
      questions: diseaseOf(r.disease_code).healthQuestions,
      urgentChecklist: urgentChecklistOf(diseaseOf(r.disease_code).urgentSymptoms),
      healthCenter: { name: r.hc_name, phone: r.hc_phone },
      // The rules raised a high or critical alert (SpO2 低下, 高熱…) that staff have not yet
      // handled: the patient hears it at once, not only when the center calls.
      callAdvised: (r.alert_rank ?? 0) >= 2,
    })),
  };
}

function auditDevice(
  db: Db,
  device: Device,
  action: string,
  entity: string,
  detail: Record<string, unknown>,
  listedIds?: string[],
) {
  return audit(db, null, {
    action,
    entity,
    entityId: device.id,
    prefectureCode: device.prefecture_code,
    detail: { deviceId: device.id, ...detail },
    listedIds,
  });
}

export async function updateSelfSettings(
  db: Db,
  token: string | null,
  input: { reminderTime?: string; language?: string },
) {
  const device = await requireDevice(db, token);
  await db
    .updateTable("health_devices")
    .set({
      reminder_time: input.reminderTime ?? device.reminder_time,
      language: input.language ?? device.language,
    })
    .where("id", "=", device.id)
    .execute();
  await auditDevice(db, device, "update", "health_device", { ...input });
  return {
    reminderTime: input.reminderTime ?? device.reminder_time,
    language: input.language ?? device.language,
  };
}

async function coveredCase(db: Db, device: Device, caseId: string | undefined) {
  const id = caseId ?? device.primary_case_id;
  const row = await deviceCases(db, device.id).where("c.id", "=", id).executeTakeFirst();
  if (!row) throw notFound("この端末では扱えない症例です。");
  return row;
}

/** The device's recent reports for one of its cases (newest first). */
export async function selfReports(db: Db, token: string | null, caseId: string | undefined, limit: number) {
  const device = await requireDevice(db, token);
  const c = await coveredCase(db, device, caseId);
  const rows = await db
    .selectFrom("health_reports")
    .selectAll()
    .where("case_id", "=", c.id)
    .orderBy("measured_at", "desc")
    .limit(limit)
    .execute();
  await auditDevice(
    db,
    device,
    "list",
    "health_report",
    { caseId: c.id },
    rows.map((r) => r.id),
  );
  return { items: rows.map(reportView), nextCursor: null };
}

/** 療養証明: the facts of a finished isolation, for the patient to print. */
export async function careCertificate(db: Db, token: string | null, caseId: string | undefined) {
  const device = await requireDevice(db, token);
  const c = await coveredCase(db, device, caseId);
  if (c.status !== "released") throw conflict("療養解除の後に発行できます。");
  await auditDevice(db, device, "read", "care_certificate", { caseId: c.id });
  const disease = (await diseaseLookup(db))(c.disease_code);
  const period = periodOf(c, disease);
  return {
    caseId: c.id,
    caseNumber: c.case_number,
    nameKanji: c.name_kanji,
    nameKana: c.name_kana,
    birthDate: c.birth_date,
    diseaseName: disease.name,
    startDate: period?.startDate ?? c.onset_date ?? c.specimen_date ?? c.diagnosis_date,
    releasedOn: todayInTokyo(c.status_changed_at),
    healthCenter: { name: c.hc_name, phone: c.hc_phone },
    issuedOn: todayInTokyo(),
  };
}

/** Devices linked to a case (staff), newest first. */
export async function listDevices(ctx: AppContext, actor: Actor, caseId: string) {
  await requireObservationAccess(ctx.db, actor, caseId, "read");
  const rows = await ctx.db
    .selectFrom("health_devices as d")
    .innerJoin("health_device_cases as dc", "dc.device_id", "d.id")
    .select([
      "d.id",
      "d.primary_case_id",
      "d.created_at",
      "d.last_seen_at",
      "d.revoked_at",
      "d.reminder_time",
    ])
    .where("dc.case_id", "=", caseId)
    .orderBy("d.created_at", "desc")
    .execute();
  // Even an empty list tells the reader something about this patient.
  await audit(ctx.db, actor, {
    action: "list",
    entity: "health_device",
    caseId,
    prefectureCode: actor.prefectureCode,
    listedIds: rows.map((d) => d.id),
  });
  return {
    items: rows.map((d) => ({
      id: d.id,
      primaryCaseId: d.primary_case_id,
      createdAt: d.created_at.toISOString(),
      lastSeenAt: d.last_seen_at?.toISOString() ?? null,
      revokedAt: d.revoked_at?.toISOString() ?? null,
      reminderTime: d.reminder_time,
    })),
  };
}

/** Staff revoke a device (lost phone, wrong person): its token stops working at once. */
export async function revokeDevice(ctx: AppContext, actor: Actor, deviceId: string) {
  return ctx.db.transaction().execute(async (trx) => {
    const device = await trx
      .selectFrom("health_devices")
      .select(["id", "primary_case_id", "revoked_at", "prefecture_code"])
      .where("id", "=", deviceId)
      .where("primary_case_id", "in", scoped(trx, actor).cases().select("cases.id"))
      .executeTakeFirst();
    if (!device) throw notFound();
    await requireObservationAccess(trx, actor, device.primary_case_id, "update");
    if (device.revoked_at) throw conflict("この端末は既に取り消されています。");
    const revokedAt = new Date();
    await trx
      .updateTable("health_devices")
      .set({ revoked_at: revokedAt, revoked_by: actor.userId })
      .where("id", "=", deviceId)
      .execute();
    await audit(trx, actor, {
      action: "update",
      entity: "health_device",
      entityId: deviceId,
      prefectureCode: device.prefecture_code,
      detail: { change: "revoke" },
    });
    return { id: deviceId, revokedAt: revokedAt.toISOString() };
  });
}

/** Messages to the patients of the actor's cases, newest first: each with its delivery state. */
export async function listMessages(db: Db, actor: Actor, caseId: string | undefined, limit: number) {
  let q = db
    .selectFrom("health_messages as m")
    .innerJoin(scoped(db, actor).cases().select("cases.id").as("c"), "c.id", "m.case_id")
    .selectAll("m")
    .orderBy("m.created_at", "desc")
    .limit(limit);
  if (caseId) q = q.where("m.case_id", "=", caseId);
  const rows = await q.execute();
  if (rows.length > 0)
    await audit(db, actor, {
      action: "list",
      entity: "health_message",
      listedIds: rows.map((r) => r.id),
    });
  return { items: rows.map(messageView), nextCursor: null };
}

function messageView(m: Selectable<DB["health_messages"]>) {
  return {
    id: m.id,
    caseId: m.case_id,
    channel: m.channel,
    kind: m.kind,
    recipient: m.recipient,
    body: m.body,
    state: m.state,
    language: m.language,
    providerId: m.provider_id,
    error: m.error,
    attempts: m.attempts,
    createdAt: m.created_at.toISOString(),
    sentAt: m.sent_at?.toISOString() ?? null,
    resentFrom: m.resent_from,
  };
}

/** A link message may be sent again only while its link can still be opened. */
async function requireLinkUsable(trx: Db, body: string) {
  const token = /#t=([\w-]+)/.exec(body)?.[1];
  const link = token
    ? await trx
        .selectFrom("health_report_links")
        .select(["used_at", "expires_at"])
        .where("token_hash", "=", sha256(token))
        .executeTakeFirst()
    : undefined;
  if (!link || link.used_at || link.expires_at <= new Date())
    throw conflict(
      "このリンクは既に使われたか期限が切れているため、再送できません。健康状態一覧の「本人入力用リンクを発行」から新しいリンクを発行してください。",
    );
}

/** 再送: the same message again, as a new entry of the history (the old one keeps its state). */
export async function resendMessage(ctx: AppContext, actor: Actor, messageId: string) {
  return ctx.db.transaction().execute(async (trx) => {
    const m = await trx
      .selectFrom("health_messages as m")
      .innerJoin(scoped(trx, actor).cases().select("cases.id").as("c"), "c.id", "m.case_id")
      .selectAll("m")
      .where("m.id", "=", messageId)
      .executeTakeFirst();
    if (!m) throw notFound("メッセージが見つかりません");
    await requireObservationAccess(trx, actor, m.case_id, "update");
    if (m.kind === "link") await requireLinkUsable(trx, m.body);
    const id = await queueMessage(trx, {
      caseId: m.case_id,
      prefectureCode: m.prefecture_code,
      channel: m.channel,
      kind: m.kind,
      recipient: m.recipient,
      body: m.body,
      language: m.language,
      resentFrom: m.id,
    });
    await audit(trx, actor, {
      action: "create",
      entity: "health_message",
      entityId: id,
      prefectureCode: m.prefecture_code,
      detail: { resentFrom: m.id },
    });
    const row = await trx
      .selectFrom("health_messages")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    return messageView(row);
  });
}
