import type { Writable } from "node:stream";
import { prefectures } from "#domain/codes.ts";
import { addDays, diffDays, todayInTokyo } from "#domain/dates.ts";
import { isValidPrefectureCode, toMunicipalityCode6 } from "#domain/jurisdiction.ts";
import { audit } from "../../audit/audit.ts";
import type { Db } from "../../db/database.ts";
import { badRequest, type FieldError } from "../../http/errors.ts";
import type { Actor } from "../../policies/actor.ts";
import { authorize } from "../../policies/index.ts";
import { allDiseases } from "../diseases/repository.ts";
import { BOM, countColumns, countLine, csvLine, type Labels, patientColumns, patientLine } from "./csv.ts";
import * as repo from "./repository.ts";
import type { OpenDataQuery } from "./schema.ts";

// オープンデータ: the prefecture's positive patients (陽性患者属性) and daily counts (陽性患者数)
// in the 自治体標準オープンデータセット layout. De-identified by construction (repository.ts
// selects no name, address line, phone or birth date), so the national analyst may fetch every
// prefecture's; a prefecture fetches its own to publish; an administrator any (publishing to
// the open-data portal is an operator's task, and the files hold no personal health record).

const BATCH = 1000;
/** Ranges over 10 years are refused (issue 11, Bad input). */
export const MAX_YEARS = 10;

export type OpenDataFile = "positive-patients" | "positive-counts";

/** Who may download which prefecture's files; 400 names a bad code, 403 another prefecture. */
export function mayDownload(actor: Actor, prefectureCode: string) {
  if (!isValidPrefectureCode(prefectureCode))
    throw badRequest(`都道府県コード「${prefectureCode}」は正しくありません（01〜47）。`, [
      {
        path: "prefectureCode",
        message: `都道府県コード「${prefectureCode}」は正しくありません（01〜47）。`,
      },
    ]);
  authorize(actor, "export", "openData", { prefectureCode });
}

/** The range asked for: up to today, at most 10 years (the last 10 years by default). */
export function rangeOf(q: Pick<OpenDataQuery, "from" | "to">, today = todayInTokyo()) {
  const to = q.to ?? today;
  const earliest = addDays(`${Number(to.slice(0, 4)) - MAX_YEARS}${to.slice(4)}`, 1);
  const from = q.from ?? earliest;
  const issues: FieldError[] = [];
  if (from > to) issues.push({ path: "from", message: "開始日は終了日以前にしてください。" });
  else if (from < earliest)
    issues.push({ path: "from", message: `期間は${MAX_YEARS}年以内にしてください。` });
  if (to > today) issues.push({ path: "to", message: "終了日に未来の日付は指定できません。" });
  // The messages themselves, so a download button's error says what to change.
  if (issues.length > 0) throw badRequest(issues.map((i) => i.message).join(" "), issues);
  return { from, to, days: diffDays(from, to) + 1 };
}

function publisherOf(prefectureCode: string) {
  return {
    // 全国地方公共団体コード of a prefecture: its code, 000, and the check digit (e.g. 130001).
    localGovernmentCode: toMunicipalityCode6(`${prefectureCode}000`),
    prefectureName: prefectures.find((p) => p.code === prefectureCode)!.ja,
  };
}

async function labelsOf(db: Db): Promise<Labels> {
  const diseases = await allDiseases(db);
  return {
    disease: (code) => diseases.get(code)?.name.ja ?? code,
    symptom: (disease, code) =>
      diseases.get(disease)?.codeLists.symptoms.find((s) => s.code === code)?.ja ?? code,
  };
}

/** Checks the request (before any byte is sent) and returns what will be written. */
export async function prepare(
  db: Db,
  actor: Actor,
  file: OpenDataFile,
  prefectureCode: string,
  query: OpenDataQuery,
) {
  mayDownload(actor, prefectureCode);
  const range = rangeOf(query);
  const labels = await labelsOf(db);
  if (query.diseaseCode && !(await allDiseases(db)).has(query.diseaseCode))
    throw badRequest("入力内容を確認してください。", [
      { path: "diseaseCode", message: `感染症コード「${query.diseaseCode}」は登録されていません。` },
    ]);
  const filter = { prefectureCode, from: range.from, to: range.to, diseaseCode: query.diseaseCode };
  // The files are de-identified, but they are read from personal records: the export is logged.
  await audit(db, actor, {
    action: "export",
    entity: "opendata",
    prefectureCode,
    detail: { file, ...filter },
  });
  return {
    filename: `${publisherOf(prefectureCode).localGovernmentCode}_${file}_${range.from}_${range.to}.csv`,
    write: (out: Writable) =>
      file === "positive-patients"
        ? writePatients(db, filter, out, labels)
        : writeCounts(db, filter, out, range),
  };
}

async function writePatients(db: Db, filter: repo.Filter, out: Writable, labels: Labels) {
  const publisher = publisherOf(filter.prefectureCode);
  out.write(BOM + csvLine(patientColumns));
  let no = 0;
  await repo.streamByCursor(db, repo.positivePatientsQuery(db, filter), BATCH, out, (rows) =>
    rows.map((r) => patientLine(++no, r, publisher, labels)).join(""),
  );
}

/**
 * One row per date of the range (days with no patient too, as published series have), with the
 * daily totals filed without individual notifications added to the positives when no single
 * disease is asked for (those reports name no disease).
 */
async function writeCounts(
  db: Db,
  filter: repo.Filter,
  out: Writable,
  range: { from: string; days: number },
) {
  const publisher = publisherOf(filter.prefectureCode);
  out.write(BOM + csvLine(countColumns));
  const byDate = new Map((await repo.dailyPositiveCounts(db, filter)).map((c) => [c.date, c]));
  if (!filter.diseaseCode)
    for (const t of await repo.dailyReportedTotals(db, filter)) {
      const c = byDate.get(t.date) ?? { date: t.date, positives: 0, deaths: 0 };
      byDate.set(t.date, { ...c, positives: c.positives + t.n });
    }
  let chunk = "";
  for (let i = 0; i < range.days; i++) {
    const date = addDays(range.from, i);
    chunk += countLine(i + 1, byDate.get(date) ?? { date, positives: 0, deaths: 0 }, publisher);
    if (chunk.length > 64_000) {
      out.write(chunk);
      chunk = "";
    }
  }
  out.write(chunk);
}
