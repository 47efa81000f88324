import { sql } from "kysely";
import type { AlertRules } from "#domain/alerts.ts";
import { observedCaseStatuses } from "#domain/codes.ts";
import { addDays, todayInTokyo, tokyoHourOf, tokyoStartOfDay } from "#domain/dates.ts";
import { audit } from "../../audit/audit.ts";
import type { JobDefinition } from "../../context.ts";
import type { Db } from "../../db/database.ts";
import { systemActor } from "../../policies/actor.ts";
import { relatedIdsColumn } from "../../policies/case.ts";
import { systemData } from "../../policies/data.ts";
import { publish } from "../../realtime/outbox.ts";
import { changeStatus } from "../cases/core.ts";
import { listDiseases } from "../diseases/repository.ts";
import { alertRulesFor, diseaseLookup } from "./rules.ts";
import { closeOpenAlerts } from "./status.ts";
import { deliverQueued, messageRouteOf, queueMessage, transportsFor } from "./transport.ts";
import { periodOf } from "./views.ts";

/**
 * Background work of health observation, as pg-boss jobs (a restart loses nothing):
 * reminders at each patient's chosen time and a second one before the deadline, the
 * non-reporting check, release by rule, and handing messages to the transport.
 * Each takes `now` so that tests can run it at any hour.
 */

const BATCH = 500;
const observed = [...observedCaseStatuses];

/** (health center, disease) pairs with the rules in force for each. */
async function rulesByCenter(db: Db) {
  const [centers, diseases] = await Promise.all([
    db.selectFrom("health_centers").select("id").execute(),
    listDiseases(db),
  ]);
  const pairs: { healthCenterId: string; diseaseCode: string; rules: AlertRules }[] = [];
  for (const hc of centers)
    for (const d of diseases)
      pairs.push({
        healthCenterId: hc.id,
        diseaseCode: d.code,
        rules: (await alertRulesFor(db, d.code, hc.id)).rules,
      });
  return pairs;
}

const hhmm = (now: Date) => {
  const t = new Date(now.getTime() + 9 * 3600_000);
  return `${String(t.getUTCHours()).padStart(2, "0")}:${String(t.getUTCMinutes()).padStart(2, "0")}`;
};

// In the language the patient chose in the app (health_devices.language); Japanese otherwise.
const reminderText: Record<string, { reminder: string; second_reminder: string }> = {
  ja: {
    reminder: "【健康観察】本日の体調のご報告をお願いします。",
    second_reminder:
      "【健康観察】本日の体調のご報告がまだ届いていません。至急ご報告ください。体調が悪い場合は保健所へお電話ください。",
  },
  en: {
    reminder: "[Health check] Please report how you feel today.",
    second_reminder:
      "[Health check] We have not received today's report yet. Please report now, or call the health center if you feel unwell.",
  },
  zh: {
    reminder: "【健康观察】请报告您今天的身体状况。",
    second_reminder: "【健康观察】尚未收到您今天的报告。请尽快报告；如身体不适，请致电保健所。",
  },
  ko: {
    reminder: "[건강 관찰] 오늘의 몸 상태를 보고해 주십시오.",
    second_reminder:
      "[건강 관찰] 오늘의 보고가 아직 도착하지 않았습니다. 바로 보고해 주시고, 몸이 좋지 않으면 보건소에 전화해 주십시오.",
  },
  vi: {
    reminder: "[Theo dõi sức khỏe] Vui lòng báo cáo tình trạng sức khỏe hôm nay.",
    second_reminder:
      "[Theo dõi sức khỏe] Chúng tôi chưa nhận được báo cáo hôm nay. Hãy báo cáo ngay, hoặc gọi trung tâm y tế công cộng nếu bạn thấy không khỏe.",
  },
  ne: {
    reminder: "[स्वास्थ्य निगरानी] कृपया आजको स्वास्थ्य अवस्था रिपोर्ट गर्नुहोस्।",
    second_reminder:
      "[स्वास्थ्य निगरानी] आजको रिपोर्ट अझै आएको छैन। तुरुन्त रिपोर्ट गर्नुहोस्, अस्वस्थ भए स्वास्थ्य केन्द्रमा फोन गर्नुहोस्।",
  },
  pt: {
    reminder: "[Acompanhamento de saúde] Informe como você está hoje.",
    second_reminder:
      "[Acompanhamento de saúde] Ainda não recebemos o relatório de hoje. Informe agora ou ligue para o centro de saúde se não estiver bem.",
  },
  tl: {
    reminder: "[Pagsubaybay sa kalusugan] Pakiulat ang iyong kalagayan ngayong araw.",
    second_reminder:
      "[Pagsubaybay sa kalusugan] Wala pa ang ulat mo ngayong araw. Mag-ulat agad, o tumawag sa health center kung masama ang pakiramdam.",
  },
};

/** Devices due a reminder: none of their observed cases has reported today. */
function dueDevices(db: Db, todayStart: Date) {
  return systemData(db, "the reminder job, for every jurisdiction")
    .selectFrom("health_devices as d")
    .innerJoin("persons as p", "p.id", "d.person_id")
    .innerJoin("cases as c", "c.id", "d.primary_case_id")
    .select(["d.id", "d.primary_case_id", "d.prefecture_code", "d.language", "p.phone", "p.email"])
    .where("d.revoked_at", "is", null)
    .where((eb) => eb.or([eb("p.phone", "is not", null), eb("p.email", "is not", null)]))
    .where(({ exists, selectFrom }) =>
      exists(
        systemData(selectFrom("health_device_cases as dc"), "the reminder job, for every jurisdiction")
          .innerJoin("cases as dcase", "dcase.id", "dc.case_id")
          .leftJoin("health_observations as o", "o.case_id", "dc.case_id")
          .select("dc.case_id")
          .whereRef("dc.device_id", "=", "d.id")
          .where("dcase.status", "in", observed)
          .where((eb) =>
            eb.or([eb("o.last_report_at", "is", null), eb("o.last_report_at", "<", todayStart)]),
          ),
      ),
    )
    .orderBy("d.id")
    .limit(BATCH);
}

async function remind(
  db: Db,
  devices: {
    id: string;
    primary_case_id: string;
    prefecture_code: string;
    language: string;
    phone: string | null;
    email: string | null;
  }[],
  kind: "reminder" | "second_reminder",
  today: string,
) {
  await db.transaction().execute(async (trx) => {
    for (const d of devices) {
      // A landline without an e-mail address: nothing reaches the patient (the 未報告 alert will).
      const route = messageRouteOf(d);
      if (!route) continue;
      await queueMessage(trx, {
        caseId: d.primary_case_id,
        prefectureCode: d.prefecture_code,
        channel: route.channel,
        kind,
        recipient: route.recipient,
        body: (reminderText[d.language] ?? reminderText.ja)[kind],
        language: d.language,
      });
    }
    await trx
      .updateTable("health_devices")
      .set(kind === "reminder" ? { reminded_on: today } : { second_reminded_on: today })
      .where(
        "id",
        "in",
        devices.map((d) => d.id),
      )
      .execute();
  });
}

/**
 * First reminder at the patient's chosen time (not on the day the device was linked after that
 * time); a second one from an hour before the health center's non-reporting hour.
 */
export async function sendReminders(db: Db, now: Date = new Date()) {
  const today = todayInTokyo(now);
  const todayStart = tokyoStartOfDay(today);
  let first = 0;
  for (;;) {
    const due = await dueDevices(db, todayStart)
      .where("d.reminder_time", "<=", hhmm(now))
      .where((eb) => eb.or([eb("d.reminded_on", "is", null), eb("d.reminded_on", "<>", today)]))
      .where(sql<boolean>`d.created_at < ${todayStart}::timestamptz + d.reminder_time::interval`)
      .execute();
    if (due.length === 0) break;
    await remind(db, due, "reminder", today);
    first += due.length;
  }
  const late = (await rulesByCenter(db)).filter((p) => tokyoHourOf(now) >= p.rules.nonReportingHour - 1);
  let second = 0;
  for (const pair of late) {
    for (;;) {
      const due = await dueDevices(db, todayStart)
        .where("c.responsible_health_center_id", "=", pair.healthCenterId)
        .where("c.disease_code", "=", pair.diseaseCode)
        .where("d.reminded_on", "=", today)
        .where((eb) =>
          eb.or([eb("d.second_reminded_on", "is", null), eb("d.second_reminded_on", "<>", today)]),
        )
        .execute();
      if (due.length === 0) break;
      await remind(db, due, "second_reminder", today);
      second += due.length;
    }
  }
  return { reminders: first, secondReminders: second };
}

/**
 * 未報告: once a health center's configured hour has passed, every case under observation there
 * with no report today (and under observation since before today) gets one alert a day.
 */
export async function checkNonReporting(db: Db, now: Date = new Date()) {
  const today = todayInTokyo(now);
  const todayStart = tokyoStartOfDay(today);
  const due = (await rulesByCenter(db)).filter((p) => tokyoHourOf(now) >= p.rules.nonReportingHour);
  let raised = 0;
  for (const pair of due) {
    const count = await db.transaction().execute(async (trx) => {
      const result = await sql<{ prefecture_code: string; n: number }>`
        with candidates as (
          select c.id, c.prefecture_code from cases c
            left join health_observations o on o.case_id = c.id
           where c.responsible_health_center_id = ${pair.healthCenterId} and c.disease_code = ${pair.diseaseCode}
             and c.status in (${sql.join(observed)}) and c.created_at < ${todayStart}
             and (o.last_report_at is null or o.last_report_at < ${todayStart})
             and not exists (select 1 from health_alerts a where a.case_id = c.id and a.rule = 'non_reporting'
                                and a.created_at >= ${todayStart})
        ), raised as (
          insert into health_alerts (case_id, prefecture_code, rule, severity, responsible_health_center_id)
          select id, prefecture_code, 'non_reporting', 'medium',
                 -- Under a share lock, as for the observation row below (migrations 0991, 0997).
                 (select c.responsible_health_center_id from cases c where c.id = candidates.id for share)
            from candidates
          on conflict (case_id, rule) where state = 'open' do nothing
          returning case_id, prefecture_code, created_at
        ), ranked as (
          insert into health_observations as o (case_id, prefecture_code, alert_rank, alert_at,
                                                responsible_health_center_id)
          select r.case_id, r.prefecture_code, 1, r.created_at,
                 -- Under a share lock, as the report write does (migration 0991).
                 (select c.responsible_health_center_id from cases c where c.id = r.case_id for share)
            from raised r
          on conflict (case_id) do update set
            alert_at = case when o.alert_rank < 1 then excluded.alert_at else o.alert_at end,
            alert_rank = greatest(o.alert_rank, 1), updated_at = now()
        )
        select prefecture_code, count(*)::int as n from raised group by prefecture_code`.execute(
        systemData(trx, "the non-reporting alert job, for every jurisdiction"),
      );
      const n = result.rows.reduce((sum, r) => sum + r.n, 0);
      if (n > 0) {
        const prefectureCode = result.rows[0].prefecture_code;
        await audit(trx, systemActor("job"), {
          action: "create",
          entity: "health_alert",
          prefectureCode,
          detail: { rule: "non_reporting", healthCenterId: pair.healthCenterId, count: n },
        });
        await publish(trx, {
          topic: "health.alert",
          prefectureCode,
          healthCenterIds: [pair.healthCenterId],
          payload: { rule: "non_reporting", count: n },
        });
      }
      return n;
    });
    raised += count;
  }
  return { raised };
}

/** Reports in the last `hours` before `now` show improvement: some, and none with fever or red flags. */
async function improvedFor(db: Db, caseId: string, hours: number, feverThreshold: number, now: Date) {
  const rows = await db
    .selectFrom("health_reports")
    .select(["body_temperature", "breathlessness", "urgent_symptoms"])
    .where("case_id", "=", caseId)
    .where("measured_at", ">", new Date(now.getTime() - hours * 3600_000))
    .execute();
  return (
    rows.length > 0 &&
    rows.every(
      (r) =>
        r.body_temperature < feverThreshold && r.breathlessness !== true && r.urgent_symptoms.length === 0,
    )
  );
}

/**
 * 療養解除 by rule: the period of the rule in force on the case's basis date has passed, symptoms
 * have improved for the hours that rule asks, and no serious alert is open. The rest stay for
 * staff to decide.
 */
export async function releaseByRule(db: Db, now: Date = new Date()) {
  const today = todayInTokyo(now);
  const diseaseOf = await diseaseLookup(db);
  const shortest = Math.min(
    ...(await listDiseases(db)).flatMap((d) =>
      d.observationPeriods.map((p) => p.days ?? Number.POSITIVE_INFINITY),
    ),
  );
  const actor = systemActor("job");
  let after = "00000000-0000-0000-0000-000000000000";
  let released = 0;
  for (;;) {
    const candidates = await systemData(db, "the observation release job, for every jurisdiction")
      .selectFrom("cases as c")
      .select([
        "c.id",
        "c.status",
        "c.disease_code",
        "c.diagnosis_class",
        "c.onset_date",
        "c.specimen_date",
        "c.diagnosis_date",
        "c.last_contact_date",
        "c.responsible_health_center_id",
      ])
      .where("c.status", "in", ["home", "hotel", "contact"])
      .where(sql<boolean>`coalesce(c.onset_date, c.specimen_date, c.diagnosis_date, c.last_contact_date)
                          <= ${addDays(today, -(Number.isFinite(shortest) ? shortest : 0))}`)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("health_alerts as a")
              .select("a.id")
              .whereRef("a.case_id", "=", "c.id")
              .where("a.state", "=", "open")
              .where("a.severity", "in", ["critical", "high"]),
          ),
        ),
      )
      .where("c.id", ">", after)
      .orderBy("c.id")
      .limit(BATCH)
      .execute();
    if (candidates.length === 0) break;
    after = candidates.at(-1)!.id;
    for (const c of candidates) {
      const period = periodOf(c, diseaseOf(c.disease_code));
      if (!period || period.releaseDate > today) continue;
      const { rules } = await alertRulesFor(db, c.disease_code, c.responsible_health_center_id);
      const hours = period.afterImprovementHours;
      if (hours && !(await improvedFor(db, c.id, hours, rules.feverThreshold, now))) continue;
      await db.transaction().execute(async (trx) => {
        await changeStatus(trx, actor, await caseFacts(trx, c.id), "released", now);
        await closeOpenAlerts(trx, c.id, null, "療養解除（基準による）");
      });
      released += 1;
    }
  }
  return { released };
}

// Jobs act for the system across all jurisdictions, so they read cases without a user's scope.
async function caseFacts(trx: Db, caseId: string) {
  const c = await systemData(trx, "jobs act for the system across all jurisdictions")
    .selectFrom("cases")
    .select([
      "id",
      "status",
      "prefecture_code",
      "responsible_health_center_id",
      "notifying_facility_id",
      "admitted_facility_id",
      relatedIdsColumn,
    ])
    .where("id", "=", caseId)
    .executeTakeFirstOrThrow();
  return {
    id: c.id,
    status: c.status,
    prefectureCode: c.prefecture_code,
    responsibleHealthCenterId: c.responsible_health_center_id,
    relatedHealthCenterIds: c.related_ids ?? [],
    notifyingFacilityId: c.notifying_facility_id,
    admittedFacilityId: c.admitted_facility_id,
  };
}

const at = (data: Record<string, unknown>) =>
  typeof data.now === "string" ? new Date(data.now) : new Date();

export const healthJobs: JobDefinition[] = [
  {
    name: "health.reminders",
    cron: "*/5 * * * *",
    handler: (ctx, data) => sendReminders(ctx.db, at(data)),
  },
  {
    name: "health.non-reporting",
    cron: "*/15 * * * *",
    handler: (ctx, data) => checkNonReporting(ctx.db, at(data)),
  },
  {
    name: "health.release",
    cron: "20 * * * *",
    handler: (ctx, data) => releaseByRule(ctx.db, at(data)),
  },
  {
    name: "health.messages",
    cron: "* * * * *",
    handler: async (ctx) => ({ delivered: await deliverQueued(ctx.db, transportsFor(ctx.config.delivery)) }),
  },
];
