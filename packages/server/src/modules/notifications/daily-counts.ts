// 日次報告: from 2022-09-26 patients outside the notified categories were reported as daily totals
// by age band. The disease definition says when (unnotifiedReporting on the form in force).
import { ageBands } from "#domain/codes.ts";
import { todayInTokyo } from "#domain/dates.ts";
import { notificationFormFor } from "#domain/disease/index.ts";
import { type DailyCounts, dailyCountsSchema, jaError } from "#domain/notification.ts";
import { audit } from "../../audit/audit.ts";
import type { Db } from "../../db/database.ts";
import { fieldError, zodIssuesToFields } from "../../http/errors.ts";
import type { Actor } from "../../policies/actor.ts";
import * as repo from "./repository.ts";
import { diseaseDefinition, filingOf, invalid } from "./service.ts";

export async function reportDailyCounts(db: Db, actor: Actor, input: unknown) {
  const parsed = dailyCountsSchema.safeParse(input, { error: jaError });
  if (!parsed.success) throw invalid(zodIssuesToFields(parsed.error.issues));
  const report: DailyCounts = parsed.data;
  if (report.date > todayInTokyo()) throw fieldError("date", "未来の日付は報告できません。");
  const def = await diseaseDefinition(db, input);
  if (!def.statistics.includes("daily_age_band_counts"))
    throw fieldError("diseaseCode", `${def.name.ja}は年代別総数の報告の対象ではありません。`);
  const form = notificationFormFor(def, report.date);
  if (form?.unnotifiedReporting !== "daily_age_band_counts")
    throw fieldError(
      "date",
      `この日付の${def.name.ja}は${form ? "全数届出" : "個別の届出も総数の報告もない"}期間のため、年代別総数の報告はありません。`,
    );
  const filing = await filingOf(db, actor);
  const center = await db
    .selectFrom("health_centers")
    .select("prefecture_code")
    .where("id", "=", filing.healthCenterId)
    .executeTakeFirstOrThrow();
  const counts = Object.fromEntries(ageBands.map((b) => [b.code, 0]));
  for (const c of report.counts) counts[c.ageBand] = c.count;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return db.transaction().execute(async (trx) => {
    const saved = await repo.insertDailyCounts(trx, {
      prefectureCode: center.prefecture_code,
      healthCenterId: filing.healthCenterId,
      facilityId: filing.facilityId,
      reportedBy: actor.userId,
      diseaseCode: def.code,
      date: report.date,
      counts,
      total,
    });
    await audit(trx, actor, {
      action: "create",
      entity: "notification_daily_counts",
      entityId: String(saved.id),
      prefectureCode: center.prefecture_code,
    });
    return {
      id: String(saved.id),
      diseaseCode: def.code,
      date: report.date,
      counts,
      total,
      reportedAt: saved.created_at.toISOString(),
    };
  });
}

export async function listDailyCounts(db: Db, actor: Actor, from: string, to: string) {
  const rows = await repo.listDailyCounts(db, actor, from, to);
  return rows.map((r) => ({
    id: String(r.id),
    diseaseCode: r.disease_code,
    date: r.date,
    facilityId: r.facility_id,
    reporterName: r.facility_name ?? r.health_center_name,
    counts: r.counts,
    total: r.total,
    reportedAt: r.created_at.toISOString(),
  }));
}
