import { caseStatuses, diagnosisClasses, label, sexes } from "#domain/codes.ts";
import { tokyoDateOf } from "#domain/dates.ts";
import { audit } from "../../audit/audit.ts";
import type { Db } from "../../db/database.ts";
import { csvField } from "../../http/csv.ts";
import type { Actor } from "../../policies/actor.ts";
import { allDiseases } from "../diseases/repository.ts";
import * as repo from "./repository.ts";

// CSV export of 患者一覧's current filter: UTF-8 with BOM (spreadsheets then read the kanji),
// streamed in keyset batches so a large export never holds the whole result in memory.

const BATCH = 2000;

const header = [
  "症例番号",
  "氏名",
  "フリガナ",
  "生年月日",
  "性別",
  "電話番号",
  "住所（市区町村コード）",
  "住所",
  "感染症",
  "診断類型",
  "ステータス",
  "発病日",
  "診断日",
  "担当保健所",
  "福祉部門との連携要否",
  "高齢者等である同居家族の有無",
  "更新日時",
];

const yesNo = (v: boolean | null) => (v === null ? "" : v ? "要" : "否");
const hasOrNot = (v: boolean | null) => (v === null ? "" : v ? "有" : "無");

function line(
  row: repo.CaseListRow,
  centers: ReadonlyMap<string, string>,
  diseaseNames: ReadonlyMap<string, string>,
): string {
  return `${[
    row.case_number,
    row.name_kanji,
    row.name_kana,
    row.birth_date,
    label(sexes, row.sex),
    row.phone,
    row.address_municipality_code,
    row.address_line,
    diseaseNames.get(row.disease_code) ?? row.disease_code,
    row.diagnosis_class ? label(diagnosisClasses, row.diagnosis_class) : "",
    label(caseStatuses, row.status),
    row.onset_date,
    row.diagnosis_date,
    centers.get(row.responsible_health_center_id) ?? row.responsible_health_center_id,
    yesNo(row.welfare_liaison_needed),
    hasOrNot(row.household_has_high_risk),
    `${tokyoDateOf(row.updated_at)} ${row.updated_at.toLocaleTimeString("ja-JP", { timeZone: "Asia/Tokyo", hour12: false })}`,
  ]
    .map(csvField)
    .join(",")}\r\n`;
}

/** The number of rows (for the progress bar) and the CSV text, batch by batch. */
export async function exportCases(
  db: Db,
  actor: Actor,
  filter: repo.CaseListFilter,
): Promise<{ total: number; chunks: AsyncGenerator<string> }> {
  const total = await repo.countCases(db, actor, filter);
  const centers = new Map(
    (await db.selectFrom("health_centers").select(["id", "name"]).execute()).map((c) => [c.id, c.name]),
  );
  const diseaseNames = new Map([...(await allDiseases(db)).values()].map((d) => [d.code, d.name.ja]));
  async function* chunks() {
    yield `\uFEFF${header.join(",")}\r\n`;
    let after: repo.Keyset | undefined;
    for (;;) {
      const rows = await repo.listCases(db, actor, filter, { limit: BATCH, after });
      if (rows.length === 0) return;
      // Each batch's ids are access-logged before the rows leave the server.
      await audit(db, actor, {
        action: "export",
        entity: "case",
        prefectureCode: actor.prefectureCode,
        listedIds: rows.map((r) => r.id),
        detail: { format: "csv" },
      });
      yield rows.map((r) => line(r, centers, diseaseNames)).join("");
      if (rows.length < BATCH) return;
      const last = rows[rows.length - 1];
      after = { key: repo.keyOf(last, filter.sort), id: last.id };
    }
  }
  return { total, chunks: chunks() };
}
