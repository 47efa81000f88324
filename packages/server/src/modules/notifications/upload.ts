// CSV bulk filing: preview (nothing saved), then save each valid row as its own notification.
// Rows are stored in batches for speed; a batch that fails is retried row by row, so every row is
// all-or-nothing on its own and one bad row never takes others with it.

import { Piscina } from "piscina";
import { todayInTokyo } from "#domain/dates.ts";
import type { FieldIssue, Notification } from "#domain/notification.ts";
import type { Db } from "../../db/database.ts";
import { csvLines } from "../../http/csv.ts";
import { fieldError, serviceUnavailable } from "../../http/errors.ts";
import type { Actor } from "../../policies/actor.ts";
import { allDiseases } from "../diseases/repository.ts";
import { columnOf } from "./csv.ts";
import type { CheckedRow, CsvChecked, CsvJob } from "./csv-check.ts";
import * as repo from "./repository.ts";
import {
  changeEvent,
  type Filing,
  fileNotification,
  filingOf,
  newRow,
  type Route,
  recipientsOf,
  routeFor,
  routingTable,
} from "./service.ts";

const BATCH = 500;

type RowError = FieldIssue & { column: string | null };

/** A row repeating an earlier row of the file, or a notification already filed. */
type Duplicate = { row: number } | { notificationId: string; number: number };

type Prepared = {
  row: number;
  cells: string[];
  errors: RowError[];
  valid?: { value: Notification; route: Route; hash: string };
  duplicateOf?: Duplicate;
};

const withColumn = (issues: FieldIssue[]): RowError[] =>
  issues.map((i) => ({ ...i, column: columnOf(i.path) }));

async function prepare(db: Db, actor: Actor, bytes: Uint8Array, encoding: "auto" | "utf8" | "sjis") {
  const [diseases, filing] = await Promise.all([allDiseases(db), filingOf(db, actor)]);
  const checked = await checkInWorker({
    bytes,
    encoding,
    diseases: [...diseases.values()],
    filer: { role: actor.role, displayName: actor.displayName },
    today: todayInTokyo(),
  });
  if ("fileError" in checked) throw fieldError("file", checked.fileError);
  const routing = await routingTable(db);
  const rows: Prepared[] = [];
  for (const chunk of checked.rowChunks) {
    for (const c of JSON.parse(chunk) as CheckedRow[]) rows.push(routed(c, routing, filing));
    await nextTurn();
  }
  const unreadable = checked.malformed.map(
    (m): Prepared => ({
      row: m.row,
      cells: [],
      errors: [{ path: "(row)", column: null, message: m.message }],
    }),
  );
  const all = [...rows, ...unreadable].sort((a, b) => a.row - b.row);
  await markDuplicates(db, actor, filing, all);
  return {
    header: checked.header,
    rows: all,
    encoding: checked.encoding,
    unknownColumns: checked.unknownColumns,
    filing,
  };
}

function routed(c: CheckedRow, routing: Awaited<ReturnType<typeof routingTable>>, filing: Filing): Prepared {
  if (!c.valid) return { row: c.row, cells: c.cells, errors: withColumn(c.issues) };
  const route = routeFor(routing, c.valid.value, filing);
  if ("path" in route) return { row: c.row, cells: c.cells, errors: withColumn([route]) };
  return { row: c.row, cells: c.cells, errors: [], valid: { ...c.valid, route } };
}

// One worker thread: the other core stays with the event loop. A few uploads wait their turn;
// beyond that the server says it is busy instead of queueing without bound.
let pool: Piscina | null = null;
const QUEUED_UPLOADS = 8;

async function checkInWorker(job: CsvJob): Promise<CsvChecked> {
  pool ??= new Piscina({
    filename: new URL("./csv-check.ts", import.meta.url).href,
    name: "checkCsv",
    minThreads: 0,
    maxThreads: 1,
    idleTimeout: 60_000,
  });
  if (pool.queueSize >= QUEUED_UPLOADS)
    throw serviceUnavailable(
      "CSVの処理が混み合っています。しばらくしてから再度お試しください。",
      10,
      "csv_busy",
    );
  return pool.run(job);
}

const sameName = (s: string) => s.normalize("NFKC").replace(/\s/g, "");
const patientKey = (disease: string, birthDate: string, diagnosisDate: string | null, name: string) =>
  [disease, birthDate, diagnosisDate ?? "", sameName(name)].join("|");

/**
 * Finds, before anything is saved, the rows that repeat an earlier row of the file (same body) or
 * a notification already filed (the same body within minutes, or the same patient, disease and
 * diagnosis date from the same filer).
 */
async function markDuplicates(db: Db, actor: Actor, filing: Filing, rows: Prepared[]) {
  const valid = rows.filter((r) => r.valid);
  const [claimed, filed] = await Promise.all([
    existingByHash(db, actor.userId, [...new Set(valid.map((r) => r.valid!.hash))]),
    repo.findFiledForBirthDates(db, { facilityId: filing.facilityId, userId: actor.userId }, [
      ...new Set(valid.map((r) => r.valid!.value.patient.birthDate)),
    ]),
  ]);
  const filedByPatient = new Map<string, (typeof filed)[number]>();
  await inTurns(filed, (n) =>
    filedByPatient.set(patientKey(n.disease_code, n.birth_date, n.diagnosis_date, n.name_kanji), n),
  );
  const firstRowOfHash = new Map<string, number>();
  await inTurns(valid, (r) => {
    const { value, hash } = r.valid!;
    const earlier = claimed.get(hash);
    const samePatient = filedByPatient.get(
      patientKey(
        value.diseaseCode ?? "",
        value.patient.birthDate,
        value.diagnosisDate ?? null,
        value.patient.nameKanji,
      ),
    );
    const existing = earlier ?? samePatient;
    const firstRow = firstRowOfHash.get(hash);
    if (existing) r.duplicateOf = { notificationId: existing.id, number: existing.number };
    else if (firstRow !== undefined) r.duplicateOf = { row: firstRow };
    else firstRowOfHash.set(hash, r.row);
  });
}

// A 20,000-row file is work enough to stall every other request: loops over its rows (and over
// what the filer filed before) give the event loop a turn every thousand items.
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

async function inTurns<T>(items: readonly T[], each: (item: T) => void) {
  for (let i = 0; i < items.length; i++) {
    each(items[i]);
    if (i % 1000 === 999) await nextTurn();
  }
}

/** What saving would do, row by row, without saving anything. */
export async function previewUpload(
  db: Db,
  actor: Actor,
  bytes: Uint8Array,
  encoding: "auto" | "utf8" | "sjis",
) {
  const p = await prepare(db, actor, bytes, encoding);
  const valid = p.rows.filter((r) => r.valid && !r.duplicateOf).length;
  const duplicates = p.rows.filter((r) => r.duplicateOf).length;
  return {
    encoding: p.encoding,
    unknownColumns: p.unknownColumns,
    total: p.rows.length,
    valid,
    duplicates,
    invalid: p.rows.length - valid - duplicates,
    rows: p.rows.map((r) => ({
      row: r.row,
      ok: r.valid !== undefined,
      errors: r.errors,
      duplicateOf: r.duplicateOf ?? null,
      nameKanji: r.valid?.value.patient.nameKanji ?? null,
      birthDate: r.valid?.value.patient.birthDate ?? null,
      healthCenterId: r.valid?.route.responsibleHealthCenterId ?? null,
    })),
  };
}

type Outcome = {
  status: "created" | "duplicate" | "error";
  notificationId: string | null;
  errors: RowError[];
};

async function insertBatch(db: Db, actor: Actor, filing: Filing, batch: Prepared[]): Promise<string[]> {
  const rows = batch.map((p) => {
    const v = p.valid!;
    return newRow(v.value, v.route, filing, actor, v.hash, null);
  });
  // A body filed meanwhile by another submission throws ClaimTaken: the caller files row by row.
  return repo.insertNotifications(db, rows, actor, (newIds) => ({
    audit: [{ action: "create", entity: "notification", listedIds: newIds, detail: { source: "csv" } }],
    outbox: eventsByRecipients(rows, newIds),
  }));
}

/** One live event per set of recipients, naming the notifications each may see. */
function eventsByRecipients(rows: repo.NewNotification[], ids: string[]) {
  const groups = new Map<string, { row: repo.NewNotification; ids: string[] }>();
  rows.forEach((row, i) => {
    const key = [row.responsibleHealthCenterId, row.relatedHealthCenterId, row.filingFacilityId].join("|");
    const group = groups.get(key) ?? { row, ids: [] };
    group.ids.push(ids[i]);
    groups.set(key, group);
  });
  return [...groups.values()].map(({ row, ids: groupIds }) =>
    changeEvent("notification.submitted", recipientsOf(row), {
      notificationIds: groupIds,
      status: "submitted",
    }),
  );
}

async function existingByHash(db: Db, userId: string, hashes: string[]) {
  const found = new Map<string, { id: string; number: number }>();
  const since = Date.now() - repo.CLAIM_WINDOW_MINUTES * 60_000;
  for (let i = 0; i < hashes.length; i += 1000) {
    const claims = await repo.findClaims(db, userId, hashes.slice(i, i + 1000).map(repo.bodyClaim));
    for (const c of claims) if (c.claimed_at.getTime() > since) found.set(c.body_hash, c);
  }
  return found;
}

/** Saves every valid row (per-row all-or-nothing) and keeps a result file for download. */
export async function commitUpload(
  db: Db,
  actor: Actor,
  bytes: Uint8Array,
  encoding: "auto" | "utf8" | "sjis",
  fileName: string,
) {
  const p = await prepare(db, actor, bytes, encoding);
  const outcomes = new Map<number, Outcome>();
  const toInsert: Prepared[] = [];
  for (const r of p.rows) {
    if (!r.valid) outcomes.set(r.row, { status: "error", notificationId: null, errors: r.errors });
    else if (r.duplicateOf)
      outcomes.set(r.row, {
        status: "duplicate",
        notificationId: "notificationId" in r.duplicateOf ? r.duplicateOf.notificationId : null,
        errors: [],
      });
    else toInsert.push(r);
  }
  for (let i = 0; i < toInsert.length; i += BATCH) {
    const batch = toInsert.slice(i, i + BATCH);
    try {
      const ids = await insertBatch(db, actor, p.filing, batch);
      for (const [j, r] of batch.entries())
        outcomes.set(r.row, { status: "created", notificationId: ids[j], errors: [] });
    } catch {
      for (const r of batch) {
        try {
          const v = r.valid!;
          const filed = await fileNotification(
            db,
            actor,
            newRow(v.value, v.route, p.filing, actor, v.hash, null),
          );
          outcomes.set(r.row, {
            status: filed.replayed ? "duplicate" : "created",
            notificationId: filed.id,
            errors: [],
          });
        } catch {
          outcomes.set(r.row, {
            status: "error",
            notificationId: null,
            errors: [{ path: "(row)", column: null, message: "保存できませんでした。" }],
          });
        }
      }
    }
  }
  // A row repeating an earlier row of the same file points at that row's notification.
  for (const r of p.rows) {
    const o = outcomes.get(r.row);
    if (o?.status === "duplicate" && r.duplicateOf && "row" in r.duplicateOf)
      o.notificationId = outcomes.get(r.duplicateOf.row)?.notificationId ?? null;
  }
  const results = p.rows.map((r) => ({ row: r.row, ...outcomes.get(r.row)! }));
  const count = (s: Outcome["status"]) => results.filter((r) => r.status === s).length;
  // Kept without the BOM (a database may drop it); the download adds it.
  const resultCsv = csvLines([
    [...p.header, "結果", "届出ID", "エラー"],
    ...p.rows.map((r, i) => {
      const o = results[i];
      const errors = o.errors.map((e) => `${e.column ?? e.path}: ${e.message}`).join(" / ");
      return [...r.cells, statusLabel[o.status], o.notificationId ?? "", errors];
    }),
  ]);
  const saved = await repo.insertUpload(db, {
    prefectureCode: actor.prefectureCode,
    filedBy: actor.userId,
    fileName,
    encoding: p.encoding,
    total: results.length,
    created: count("created"),
    duplicates: count("duplicate"),
    failed: count("error"),
    resultCsv,
  });
  return {
    uploadId: saved.id,
    encoding: p.encoding,
    total: results.length,
    created: count("created"),
    duplicates: count("duplicate"),
    failed: count("error"),
    rows: results,
  };
}

const statusLabel: Record<Outcome["status"], string> = {
  created: "登録",
  duplicate: "重複（登録済み）",
  error: "エラー",
};
