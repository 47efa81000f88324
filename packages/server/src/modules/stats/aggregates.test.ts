import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ageBandOf } from "#domain/codes.ts";
import { ageAt, tokyoDateOf } from "#domain/dates.ts";
import type { Db } from "../../db/database.ts";
import type { CaseStatus, DiagnosisClass } from "../../db/schema.ts";
import { systemActor } from "../../policies/actor.ts";
import { startTestServer, type TestServer } from "../../test/harness.ts";
import { changeStatus, createCase, insertPerson } from "../cases/core.ts";
import { newCaseMeasures, statusMeasures } from "./repository.ts";

// The aggregates kept by the triggers (migrations 0710, 0800, 0970) against a recomputation, here in
// TypeScript, from the tables they summarise, after random mixes of every kind of write.

let server: TestServer;
let db: Db;
const centers: Record<string, string[]> = {};
let reporterId: string;
const caseIds: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  db = server.ctx.db;
  for (const p of ["13", "14"]) {
    const rows = await db
      .selectFrom("health_centers")
      .select("id")
      .where("prefecture_code", "=", p)
      .execute();
    centers[p] = rows.slice(0, 3).map((r) => r.id);
  }
  reporterId = (await db.selectFrom("users").select("id").executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  await server?.stop();
});

const statuses: CaseStatus[] = [
  "awaiting",
  "hospitalized",
  "hospitalized_severe",
  "hotel",
  "home",
  "released",
  "deceased",
];
const day = (offset: number) => new Date(Date.UTC(2023, 0, 1 + offset)).toISOString().slice(0, 10);

const write = fc.oneof(
  fc.record({
    kind: fc.constant("create" as const),
    prefecture: fc.constantFrom("13", "14"),
    center: fc.nat(2),
    diagnosisClass: fc.constantFrom<DiagnosisClass | null>(
      "confirmed",
      "asymptomatic_carrier",
      "suspected",
      null,
    ),
    diagnosisDay: fc.option(fc.nat(40)),
    onsetDay: fc.option(fc.nat(40)),
    birthDay: fc.option(fc.integer({ min: -36500, max: 0 })),
    sex: fc.constantFrom("male", "female", "other", "unknown"),
  }),
  fc.record({
    kind: fc.constant("status" as const),
    which: fc.nat(),
    status: fc.constantFrom(...statuses),
    // Backdated (a correction) as often as not.
    atDay: fc.nat(45),
    atHour: fc.nat(23),
  }),
  fc.record({ kind: fc.constant("transfer" as const), which: fc.nat(), center: fc.nat(2) }),
  fc.record({
    kind: fc.constant("person" as const),
    which: fc.nat(),
    birthDay: fc.option(fc.integer({ min: -36500, max: 0 })),
    sex: fc.constantFrom("male", "female", "other", "unknown"),
  }),
  fc.record({ kind: fc.constant("dates" as const), which: fc.nat(), diagnosisDay: fc.option(fc.nat(40)) }),
  fc.record({ kind: fc.constant("delete" as const), which: fc.nat() }),
  // A 発生届 attached to a case (a case may have several: the first submission dates it), or
  // a notification's submission time corrected.
  fc.record({ kind: fc.constant("notify" as const), which: fc.nat(), submittedDay: fc.nat(40) }),
  fc.record({ kind: fc.constant("resubmit" as const), which: fc.nat(), submittedDay: fc.nat(40) }),
  fc.record({
    kind: fc.constant("dailyCount" as const),
    center: fc.nat(2),
    countDay: fc.nat(40),
    // Two diseases: a day's total of one never replaces the other's.
    disease: fc.constantFrom("covid19", "measles"),
    counts: fc.dictionary(fc.constantFrom("20s", "40s", "80s"), fc.nat(30)),
  }),
);
type Write = typeof write extends fc.Arbitrary<infer T> ? T : never;

const centerOf = (prefecture: string, n: number) => centers[prefecture][n % centers[prefecture].length];

/** 発生届 attached over the whole run (deletions detach them again, so count the writes). */
let attachedNotifications = 0;
/** Prefecture and disease figures seen to move between two checks. */
let movedSlices = 0;

async function apply(w: Write) {
  const actor = systemActor();
  const pick = (which: number) => caseIds[which % caseIds.length];
  await db.transaction().execute(async (trx) => {
    if (w.kind === "create") {
      const personId = await insertPerson(trx, {
        prefectureCode: w.prefecture,
        nameKana: "シュウケイ テスト",
        birthDate: w.birthDay === null ? null : day(w.birthDay),
        sex: w.sex as "male",
      });
      const { id } = await createCase(trx, actor, {
        personId,
        prefectureCode: w.prefecture,
        status: w.diagnosisClass ? "awaiting" : "contact",
        diagnosisClass: w.diagnosisClass,
        responsibleHealthCenterId: centerOf(w.prefecture, w.center),
        diagnosisDate: w.diagnosisDay === null ? null : day(w.diagnosisDay),
        onsetDate: w.onsetDay === null ? null : day(w.onsetDay),
      });
      caseIds.push(id);
      return;
    }
    if (w.kind === "dailyCount") {
      const total = Object.values(w.counts).reduce((a, b) => a + b, 0);
      await trx
        .insertInto("notification_daily_counts")
        .values({
          prefecture_code: "13",
          health_center_id: centerOf("13", w.center),
          reported_by: reporterId,
          disease_code: w.disease,
          date: day(w.countDay),
          counts: JSON.stringify(w.counts),
          total,
        })
        .execute();
      return;
    }
    if (caseIds.length === 0) return;
    const id = pick(w.which);
    const c = await trx.selectFrom("cases").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    if (w.kind === "status") {
      const facts = {
        id,
        status: c.status,
        prefectureCode: c.prefecture_code,
        responsibleHealthCenterId: c.responsible_health_center_id,
        relatedHealthCenterIds: [],
        notifyingFacilityId: null,
        admittedFacilityId: null,
      };
      const at = new Date(Date.UTC(2023, 0, 1 + w.atDay, w.atHour - 9));
      await changeStatus(trx, actor, facts, w.status, at);
    } else if (w.kind === "transfer") {
      const center = centerOf(c.prefecture_code, w.center);
      await trx
        .updateTable("cases")
        .set({ responsible_health_center_id: center })
        .where("id", "=", id)
        .execute();
    } else if (w.kind === "person") {
      await trx
        .updateTable("persons")
        .set({ birth_date: w.birthDay === null ? null : day(w.birthDay), sex: w.sex as "male" })
        .where("id", "=", c.person_id)
        .execute();
    } else if (w.kind === "notify") {
      await trx
        .insertInto("notifications")
        .values({
          prefecture_code: c.prefecture_code,
          status: "accepted",
          form_variant: "full",
          responsible_health_center_id: c.responsible_health_center_id,
          filed_by: reporterId,
          filing_health_center_id: c.responsible_health_center_id,
          name_kanji: "集計 試験",
          birth_date: "1980-01-01",
          body_hash: `h${w.submittedDay}`,
          case_id: id,
          submitted_at: new Date(Date.UTC(2023, 0, 1 + w.submittedDay, 3)),
        })
        .execute();
      attachedNotifications += 1;
    } else if (w.kind === "resubmit") {
      // One notification per statement, as the app writes them (see migration 0800).
      const latest = await trx
        .selectFrom("notifications")
        .select("id")
        .where("case_id", "=", id)
        .orderBy("number", "desc")
        .executeTakeFirst();
      if (latest)
        await trx
          .updateTable("notifications")
          .set({ submitted_at: new Date(Date.UTC(2023, 0, 1 + w.submittedDay, 20)) })
          .where("id", "=", latest.id)
          .execute();
    } else if (w.kind === "dates") {
      const diagnosisDate = w.diagnosisDay === null ? null : day(w.diagnosisDay);
      await trx.updateTable("cases").set({ diagnosis_date: diagnosisDate }).where("id", "=", id).execute();
    } else {
      // Its notifications are detached first (they are kept; a case with them cannot go).
      const attached = await trx.selectFrom("notifications").select("id").where("case_id", "=", id).execute();
      for (const n of attached)
        await trx.updateTable("notifications").set({ case_id: null }).where("id", "=", n.id).execute();
      await trx.deleteFrom("cases").where("id", "=", id).execute();
      caseIds.splice(caseIds.indexOf(id), 1);
    }
  });
}

/** What the aggregates should hold, computed from the cases, persons, statuses and reports. */
async function recomputed(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const add = (key: (string | null)[], n: number) => {
    const k = key.join("|");
    counts.set(k, (counts.get(k) ?? 0) + n);
  };
  const cases = await db
    .selectFrom("cases as c")
    .innerJoin("persons as p", "p.id", "c.person_id")
    .leftJoin(
      (eb) =>
        eb
          .selectFrom("notifications")
          .select(["case_id", (e) => e.fn.min("submitted_at").as("submitted_at")])
          .groupBy("case_id")
          .as("n"),
      (j) => j.onRef("n.case_id", "=", "c.id"),
    )
    .select([
      "c.id",
      "c.prefecture_code",
      "c.responsible_health_center_id",
      "c.disease_code",
      "c.diagnosis_class",
      "c.diagnosis_date",
      "c.onset_date",
      "c.created_at",
      "p.birth_date",
      "p.sex",
      "n.submitted_at",
    ])
    .execute();
  const history = Map.groupBy(
    await db.selectFrom("case_status_history").selectAll().orderBy("id").execute(),
    (h) => h.case_id,
  );
  for (const c of cases) {
    const on = c.diagnosis_date ?? tokyoDateOf(c.created_at);
    const band = c.birth_date ? ageBandOf(Math.max(0, ageAt(c.birth_date, on).years)) : "unknown";
    const group = [
      c.prefecture_code,
      c.responsible_health_center_id,
      c.disease_code,
      band,
      c.sex,
      c.diagnosis_class ?? "none",
    ];
    if (c.diagnosis_class) {
      if (c.diagnosis_date) add([c.diagnosis_date, "diagnosed", ...group], 1);
      add([tokyoDateOf(c.submitted_at ?? c.created_at), "notified", ...group], 1);
      if (c.onset_date) add([c.onset_date, "onset", ...group], 1);
    }
    const rows = history.get(c.id) ?? [];
    rows.forEach((h, i) => {
      const later = rows.slice(i + 1).map((r) => r.at.getTime());
      const first = tokyoDateOf(h.at);
      const end = later.length > 0 ? tokyoDateOf(new Date(Math.min(...later))) : null;
      if (h.status === "contact" || (end !== null && end <= first)) return;
      add([first, h.status, ...group], 1);
      if (end) add([end, h.status, ...group], -1);
    });
  }
  const reports = await db
    .selectFrom("notification_daily_counts")
    .selectAll()
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  const inForce = new Map(
    reports.map((r) => [`${r.facility_id ?? r.reported_by}|${r.date}|${r.disease_code}`, r]),
  );
  for (const r of inForce.values())
    for (const [band, n] of Object.entries(r.counts))
      for (const measure of ["diagnosed", "notified"])
        add(
          [
            r.date,
            measure,
            r.prefecture_code,
            r.health_center_id,
            r.disease_code,
            band,
            "unknown",
            "confirmed",
          ],
          n,
        );
  return new Map([...counts].filter(([, n]) => n !== 0));
}

const measures = [...newCaseMeasures, ...statusMeasures];

/** Grains of the wide tables: the stats_daily key parts (after day and measure) they keep. */
const grains = {
  prefecture: ["prefecture_code", "disease_code"],
  healthCenter: ["prefecture_code", "health_center_id", "disease_code"],
  ageSex: ["prefecture_code", "disease_code", "age_band", "sex"],
} as const;
type Grain = keyof typeof grains;
const finePart = {
  prefecture_code: 2,
  health_center_id: 3,
  disease_code: 4,
  age_band: 5,
  sex: 6,
} as const;

/** The wide tables' columns back into "day|measure|<grain>" keys, zeros left out. */
function unpivot(rows: Record<string, unknown>[], dayColumn: "day" | "month", grain: Grain) {
  const out = new Map<string, number>();
  for (const r of rows)
    for (const m of measures) {
      const n = r[m] as number | undefined;
      if (n) out.set([r[dayColumn], m, ...grains[grain].map((g) => r[g])].join("|"), n);
    }
  return out;
}

async function aggregates() {
  const fine = await db.selectFrom("stats_daily").selectAll().where("n", "<>", 0).execute();
  const all = async (table: Parameters<Db["selectFrom"]>[0] & string) =>
    (await db.selectFrom(table).selectAll().execute()) as Record<string, unknown>[];
  return {
    fine: new Map(
      fine.map((r) => [
        [
          r.day,
          r.measure,
          r.prefecture_code,
          r.health_center_id,
          r.disease_code,
          r.age_band,
          r.sex,
          r.diagnosis_class,
        ].join("|"),
        r.n,
      ]),
    ),
    byPrefecture: unpivot(await all("stats_prefecture_day"), "day", "prefecture"),
    byMonth: unpivot(await all("stats_prefecture_month"), "month", "prefecture"),
    byHealthCenter: unpivot(await all("stats_health_center_day"), "day", "healthCenter"),
    byHealthCenterMonth: unpivot(await all("stats_health_center_month"), "month", "healthCenter"),
    byAgeSex: unpivot(await all("stats_age_sex_day"), "day", "ageSex"),
    byAgeSexMonth: unpivot(await all("stats_age_sex_month"), "month", "ageSex"),
  };
}

/** Sums by day (or month), measure and the grain's parts. */
function rolledUp(fine: Map<string, number>, by: "day" | "month" = "day", grain: Grain = "prefecture") {
  const sums = new Map<string, number>();
  for (const [k, n] of fine) {
    const parts = k.split("|");
    const [d, m] = parts;
    if (by === "month" && ["diagnosed", "notified", "onset"].includes(m)) continue;
    const key = [
      by === "month" ? `${d.slice(0, 7)}-01` : d,
      m,
      ...grains[grain].map((g) => parts[finePart[g]]),
    ];
    sums.set(key.join("|"), (sums.get(key.join("|")) ?? 0) + n);
  }
  return new Map([...sums].filter(([, n]) => n !== 0));
}

/** Each prefecture and disease's recounted figures, as one comparable text. */
function slices(fine: Map<string, number>) {
  const out = new Map<string, string[]>();
  for (const [k, n] of fine) {
    const parts = k.split("|");
    const key = `${parts[2]}|${parts[4]}`;
    out.set(key, [...(out.get(key) ?? []), `${k}=${n}`]);
  }
  return new Map([...out].map(([k, v]) => [k, v.sort().join(",")]));
}

async function versions() {
  const rows = await db.selectFrom("stats_versions").selectAll().execute();
  return new Map(rows.map((r) => [`${r.prefecture_code}|${r.disease_code}`, Number(r.version)]));
}

describe("statistics aggregates", () => {
  it("equal a recomputation from the cases after any mix of writes (backdated statuses, transfers, deletions)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(write, { minLength: 5, maxLength: 25 }), async (writes) => {
        const before = { figures: slices(await recomputed()), versions: await versions() };
        for (const w of writes) await apply(w);
        const expected = await recomputed();
        const actual = await aggregates();
        expect(actual.fine).toEqual(expected);
        expect(actual.byPrefecture).toEqual(rolledUp(expected));
        expect(actual.byMonth).toEqual(rolledUp(expected, "month"));
        expect(actual.byHealthCenter).toEqual(rolledUp(expected, "day", "healthCenter"));
        expect(actual.byHealthCenterMonth).toEqual(rolledUp(expected, "month", "healthCenter"));
        expect(actual.byAgeSex).toEqual(rolledUp(expected, "day", "ageSex"));
        expect(actual.byAgeSexMonth).toEqual(rolledUp(expected, "month", "ageSex"));
        // The reply cache's versions: every prefecture and disease whose figures moved has a
        // higher counter than before (its cached replies are not served again).
        const after = { figures: slices(expected), versions: await versions() };
        for (const key of new Set([...before.figures.keys(), ...after.figures.keys()]))
          if (before.figures.get(key) !== after.figures.get(key)) {
            movedSlices += 1;
            expect(after.versions.get(key) ?? 0, key).toBeGreaterThan(before.versions.get(key) ?? 0);
          }
      }),
      { numRuns: 12 },
    );
    // The mix did reach the interesting cases.
    const kinds = await db.selectFrom("stats_daily").select("measure").distinct().execute();
    expect(kinds.map((k) => k.measure)).toEqual(
      expect.arrayContaining(["diagnosed", "notified", "awaiting", "home"]),
    );
    expect(attachedNotifications).toBeGreaterThan(0);
    expect(movedSlices).toBeGreaterThan(0);
  });
});
