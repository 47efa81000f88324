import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { datesBetween, todayInTokyo } from "#domain/dates.ts";
import { buildApp } from "../../app.ts";
import type { CaseStatus, DiagnosisClass } from "../../db/schema.ts";
import { compiledSerializer } from "../../http/serialization.ts";
import { systemActor } from "../../policies/actor.ts";
import { startTestServer, type TestServer } from "../../test/harness.ts";
import { changeStatus, createCase, insertPerson, type PersonInput } from "../cases/core.ts";
import {
  type AggregateRow,
  type ExportKey,
  lineListBatchQuery,
  newCaseMeasures,
  statusMeasures,
} from "./repository.ts";
import { dailyReply } from "./schema.ts";
import { type DailyRow, dailyRows, rangeOf } from "./service.ts";

let server: TestServer;
const token: Record<string, string> = {};
type Reply = { from: string; to: string; items: DailyRow[] };

/**
 * A case whose status history is exactly `steps` (Tokyo times). createCase's own first row is
 * stamped now, years after the dates below, so it never falls in the ranges asked for.
 */
async function caseWithHistory(o: {
  prefectureCode: string;
  diagnosisClass: DiagnosisClass | null;
  diagnosisDate: string | null;
  steps: [CaseStatus, string][];
  /** Who the patient is (default: a kana name only). */
  person?: Omit<PersonInput, "prefectureCode">;
}) {
  const db = server.ctx.db;
  const center = await db
    .selectFrom("health_centers")
    .select("id")
    .where("prefecture_code", "=", o.prefectureCode)
    .orderBy("name")
    .executeTakeFirstOrThrow();
  await db.transaction().execute(async (trx) => {
    const personId = await insertPerson(trx, {
      prefectureCode: o.prefectureCode,
      nameKana: "トウケイ テスト",
      ...o.person,
    });
    const actor = systemActor();
    const { id } = await createCase(trx, actor, {
      personId,
      prefectureCode: o.prefectureCode,
      status: o.diagnosisClass ? "awaiting" : "contact",
      diagnosisClass: o.diagnosisClass,
      responsibleHealthCenterId: center.id,
      diagnosisDate: o.diagnosisDate,
    });
    let status: CaseStatus = o.diagnosisClass ? "awaiting" : "contact";
    for (const [next, at] of o.steps) {
      const facts = {
        id,
        status,
        prefectureCode: o.prefectureCode,
        responsibleHealthCenterId: center.id,
        relatedHealthCenterIds: [],
        notifyingFacilityId: null,
        admittedFacilityId: null,
      };
      await changeStatus(trx, actor, facts, next, new Date(at));
      status = next;
    }
  });
}

beforeAll(async () => {
  server = await startTestServer();
  for (const id of ["hc-a", "clinic-a", "hospital-a", "pref", "nation", "admin"])
    token[id] = await server.login(id);
  await caseWithHistory({
    prefectureCode: "13",
    diagnosisClass: "confirmed",
    diagnosisDate: "2021-01-03",
    steps: [
      ["awaiting", "2021-01-03T10:00:00+09:00"],
      ["home", "2021-01-04T09:00:00+09:00"],
      ["released", "2021-01-08T12:00:00+09:00"],
    ],
  });
  await caseWithHistory({
    prefectureCode: "13",
    diagnosisClass: "confirmed",
    diagnosisDate: "2021-01-04",
    steps: [
      ["awaiting", "2021-01-04T08:00:00+09:00"],
      ["hospitalized", "2021-01-04T20:00:00+09:00"],
      // Exactly at midnight: in force from the end of 01-06, not of 01-05.
      ["hospitalized_severe", "2021-01-06T00:00:00+09:00"],
      ["deceased", "2021-01-09T03:00:00+09:00"],
    ],
  });
  // A close contact has no diagnosis: not a new case.
  await caseWithHistory({
    prefectureCode: "13",
    diagnosisClass: null,
    diagnosisDate: null,
    steps: [["contact", "2021-01-04T11:00:00+09:00"]],
  });
  await caseWithHistory({
    prefectureCode: "14",
    diagnosisClass: "asymptomatic_carrier",
    diagnosisDate: "2021-01-05",
    steps: [["hotel", "2021-01-05T15:00:00+09:00"]],
  });
  // A correction entered later with an earlier time: the later entry is the later word.
  await caseWithHistory({
    prefectureCode: "13",
    diagnosisClass: "confirmed",
    diagnosisDate: "2021-02-01",
    steps: [
      ["home", "2021-02-01T10:00:00+09:00"],
      ["awaiting", "2021-02-01T09:00:00+09:00"],
    ],
  });
});
afterAll(async () => {
  await server?.stop();
});

const get = <T>(who: string, path: string) => server.api<T>("GET", path, { token: token[who] });
const row = (date: string, prefectureCode: string, counts: Partial<DailyRow>): DailyRow => ({
  date,
  prefectureCode,
  newCases: 0,
  hospitalized: 0,
  severe: 0,
  hotel: 0,
  home: 0,
  deceased: 0,
  awaiting: 0,
  released: 0,
  notifiedCases: 0,
  onsetCases: 0,
  ...counts,
});

const tokyo = [
  row("2021-01-03", "13", { newCases: 1, awaiting: 1 }),
  row("2021-01-04", "13", { newCases: 1, home: 1, hospitalized: 1 }),
  row("2021-01-05", "13", { home: 1, hospitalized: 1 }),
  row("2021-01-06", "13", { home: 1, severe: 1 }),
  row("2021-01-07", "13", { home: 1, severe: 1 }),
  row("2021-01-08", "13", { severe: 1, released: 1 }),
  row("2021-01-09", "13", { deceased: 1, released: 1 }),
  row("2021-01-10", "13", { deceased: 1, released: 1 }),
];
const kanagawa = ["05", "06", "07", "08", "09", "10"].map((d) =>
  row(`2021-01-${d}`, "14", d === "05" ? { newCases: 1, hotel: 1 } : { hotel: 1 }),
);

describe("GET /stats/daily", () => {
  it("counts new cases on their diagnosis date and the statuses in force at the end of each day", async () => {
    const res = await get<Reply>("pref", "/api/v1/stats/daily?from=2021-01-01&to=2021-01-10");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ from: "2021-01-01", to: "2021-01-10", items: tokyo });
  });

  it("gives the national role every prefecture, or the one asked for, and only numbers", async () => {
    const all = await get<Reply>("nation", "/api/v1/stats/daily?from=2021-01-01&to=2021-01-10");
    expect(all.body.items).toEqual(
      [...tokyo, ...kanagawa].sort((a, b) =>
        (a.date + a.prefectureCode).localeCompare(b.date + b.prefectureCode),
      ),
    );
    const keys = new Set(all.body.items.flatMap((i) => Object.keys(i)));
    expect([...keys].sort()).toEqual(
      [
        "awaiting",
        "date",
        "deceased",
        "home",
        "hospitalized",
        "hotel",
        "newCases",
        "notifiedCases",
        "onsetCases",
        "prefectureCode",
        "released",
        "severe",
      ].sort(),
    );
    const one = await get<Reply>(
      "nation",
      "/api/v1/stats/daily?from=2021-01-01&to=2021-01-10&prefectureCode=14",
    );
    expect(one.body.items).toEqual(kanagawa);
  });

  it("gives a health center its own prefecture's numbers", async () => {
    const res = await get<Reply>("hc-a", "/api/v1/stats/daily?from=2021-01-01&to=2021-01-10");
    expect(res.body.items).toEqual(tokyo);
    expect((await get("hc-a", "/api/v1/stats/daily?prefectureCode=14")).status).toBe(403);
    expect((await get("pref", "/api/v1/stats/daily?prefectureCode=14")).status).toBe(403);
  });

  it("lets a status entered later with an earlier time override, so today's counts are the current statuses", async () => {
    const res = await get<Reply>("pref", "/api/v1/stats/daily?from=2021-02-01&to=2021-02-01");
    // The death of January stays counted: deaths are cumulative.
    expect(res.body.items).toEqual([
      row("2021-02-01", "13", { newCases: 1, awaiting: 1, deceased: 1, released: 1 }),
    ]);
    const today = todayInTokyo();
    const now = await get<Reply>("pref", `/api/v1/stats/daily?from=${today}&to=${today}`);
    const current = await server.ctx.db
      .selectFrom("cases")
      .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
      .where("prefecture_code", "=", "13")
      .groupBy("status")
      .execute();
    const count = (status: string) => Number(current.find((c) => c.status === status)?.n ?? 0);
    expect(now.body.items[0]).toMatchObject({
      home: count("home"),
      hotel: count("hotel"),
      awaiting: count("awaiting"),
      hospitalized: count("hospitalized"),
      severe: count("hospitalized_severe"),
      deceased: count("deceased"),
      released: count("released"),
    });
  });

  it("refuses clinics, hospitals, administrators and anonymous callers", async () => {
    for (const who of ["clinic-a", "hospital-a", "admin"])
      expect((await get(who, "/api/v1/stats/daily")).status).toBe(403);
    expect((await server.api("GET", "/api/v1/stats/daily")).status).toBe(401);
  });

  it.each([
    ["from=2021-01-10&to=2021-01-01", "from"],
    ["from=2011-01-01&to=2021-01-01", "to"],
    ["groupBy=prefecture", "groupBy"],
    ["from=2021-02-30", "from"],
    ["prefectureCode=99", "prefectureCode"],
    ["prefectureCode=13&colour=red", "colour"],
  ])("answers 400 to %s naming %s", async (query, path) => {
    const res = await get<{ error: { details: { path: string }[] } }>(
      "nation",
      `/api/v1/stats/daily?${query}`,
    );
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d) => d.path)).toContain(path);
  });

  it("serves the same rows as CSV, UTF-8 with BOM", async () => {
    const res = await fetch(`${server.url}/api/v1/stats/daily.csv?from=2021-01-01&to=2021-01-10`, {
      headers: { authorization: `Bearer ${token.pref}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("content-disposition")).toContain("stats-daily-2021-01-01-2021-01-10.csv");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).split("\r\n").filter(Boolean);
    expect(lines[0].startsWith("日付,都道府県コード,都道府県名,新規陽性者数")).toBe(true);
    expect(lines).toHaveLength(tokyo.length + 1);
    expect(lines[1]).toBe("2021-01-03,13,東京都,1,0,0,0,0,0,1,0,0,0");
  });
});

describe("GET /stats/daily?groupBy=", () => {
  it.each([
    ["healthCenter", "healthCenterId"],
    ["ageBand", "ageBand"],
    ["sex", "sex"],
    ["disease", "diseaseCode"],
    ["ageBand,sex", "sex"],
  ])("splits the counts by %s and the parts add up to the prefecture's", async (groupBy, field) => {
    const range = "from=2021-01-01&to=2021-01-10";
    const split = await get<Reply>("nation", `/api/v1/stats/daily?${range}&groupBy=${groupBy}`);
    expect(split.status).toBe(200);
    expect(split.body.items.every((r) => typeof (r as Record<string, unknown>)[field] === "string")).toBe(
      true,
    );
    const whole = await get<Reply>("nation", `/api/v1/stats/daily?${range}`);
    const sum = (rows: DailyRow[], key: keyof DailyRow) => rows.reduce((n, r) => n + Number(r[key]), 0);
    for (const key of ["newCases", "home", "severe", "deceased", "hotel"] as const)
      expect(sum(split.body.items, key)).toBe(sum(whole.body.items, key));
  });
});

describe("GET /stats/daily from the reply cache", () => {
  const range = "from=2021-03-01&to=2021-03-31";
  const newCasesOf = (r: Reply) => r.items.reduce((n, i) => n + i.newCases, 0);

  it("counts a new case at once in every server process on the database", async () => {
    // A second app on the same database: its own cache, the same versions.
    const other = await buildApp(server.ctx);
    const otherUrl = await other.listen({ port: 0, host: "127.0.0.1" });
    try {
      const fromOther = async () => {
        const res = await fetch(`${otherUrl}/api/v1/stats/daily?${range}`, {
          headers: { authorization: `Bearer ${token.nation}` },
        });
        expect(res.status).toBe(200);
        return (await res.json()) as Reply;
      };
      const fromFirst = async () => (await get<Reply>("nation", `/api/v1/stats/daily?${range}`)).body;
      // Asked twice in each: the second reply is the kept one.
      for (const ask of [fromFirst, fromOther]) {
        expect(newCasesOf(await ask())).toBe(0);
        expect(newCasesOf(await ask())).toBe(0);
      }
      const written = performance.now();
      await caseWithHistory({
        prefectureCode: "14",
        diagnosisClass: "confirmed",
        diagnosisDate: "2021-03-15",
        steps: [["home", "2021-03-15T12:00:00+09:00"]],
      });
      const [first, second] = [await fromFirst(), await fromOther()];
      expect(performance.now() - written).toBeLessThan(1000);
      for (const reply of [first, second]) {
        expect(newCasesOf(reply)).toBe(1);
        expect(reply.items.find((i) => i.date === "2021-03-31" && i.prefectureCode === "14")).toMatchObject({
          prefectureCode: "14",
          home: 1,
        });
      }
    } finally {
      await other.close();
    }
  });

  it("never gives one scope's reply to another asking the same", async () => {
    const path = `/api/v1/stats/daily?${range}`;
    const prefectures = (r: Reply) => [...new Set(r.items.map((i) => i.prefectureCode))];
    // Tokyo's prefecture user first, so a reply for Tokyo alone is kept under this query.
    for (let i = 0; i < 2; i++) expect(prefectures((await get<Reply>("pref", path)).body)).toEqual(["13"]);
    expect(prefectures((await get<Reply>("nation", path)).body).sort()).toEqual(["13", "14"]);
    expect(prefectures((await get<Reply>("hc-a", path)).body)).toEqual(["13"]);
    expect(prefectures((await get<Reply>("nation", `${path}&prefectureCode=14`)).body)).toEqual(["14"]);
    expect((await get("pref", `${path}&prefectureCode=14`)).status).toBe(403);
  });

  it("sends the kept reply gzipped to clients that accept it", async () => {
    const path = "/api/v1/stats/daily?from=2021-01-01&to=2021-01-10";
    const plain = await get<Reply>("nation", path);
    let encoding: string | null = null;
    for (let i = 0; i < 50 && encoding !== "gzip"; i++) {
      const res = await fetch(`${server.url}${path}`, {
        headers: { authorization: `Bearer ${token.nation}`, "accept-encoding": "gzip" },
      });
      encoding = res.headers.get("content-encoding");
      expect(await res.json()).toEqual(plain.body);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(encoding).toBe("gzip");
    const identity = await fetch(`${server.url}${path}`, {
      headers: { authorization: `Bearer ${token.nation}`, "accept-encoding": "gzip;q=0, identity" },
    });
    expect(identity.headers.get("content-encoding")).toBeNull();
    expect(await identity.json()).toEqual(plain.body);
  });

  it("puts a reply together from per-prefecture parts, byte for byte the one written whole", async () => {
    const paths = [
      "/api/v1/stats/daily?from=2021-01-01&to=2021-04-30",
      "/api/v1/stats/daily.csv?from=2021-01-01&to=2021-04-30",
      "/api/v1/stats/daily?from=2021-01-01&to=2021-04-30&groupBy=healthCenter",
      "/api/v1/stats/daily?from=2021-01-01&to=2021-04-30&groupBy=ageBand,sex",
    ];
    const text = async (url: string, path: string) => {
      const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token.nation}` } });
      expect(res.status).toBe(200);
      return Buffer.from(await res.arrayBuffer()).toString("utf8"); // the BOM kept
    };
    // Every part kept, then Kanagawa's figures move: its part alone is written again.
    for (const path of paths) await text(server.url, path);
    await caseWithHistory({
      prefectureCode: "14",
      diagnosisClass: "confirmed",
      diagnosisDate: "2021-04-02",
      steps: [["hospitalized", "2021-04-02T12:00:00+09:00"]],
    });
    // A second app on the same database writes each reply whole, from one read.
    const other = await buildApp(server.ctx);
    const otherUrl = await other.listen({ port: 0, host: "127.0.0.1" });
    try {
      for (const path of paths) {
        const joined = await text(server.url, path);
        expect(joined).toBe(await text(otherUrl, path));
        if (path.includes(".csv")) expect(joined.startsWith("\uFEFF日付,")).toBe(true);
        else {
          const reply = JSON.parse(joined) as Reply;
          expect(reply.items.some((i) => i.date === "2021-04-02" && i.prefectureCode === "14")).toBe(true);
          // As the reply's compiled serializer writes it (the format before parts).
          expect(joined).toBe(compiledSerializer({ schema: dailyReply })(reply));
        }
      }
    } finally {
      await other.close();
    }
  });
});

type LineListReply = { items: Record<string, unknown>[]; nextCursor: string | null };

describe("GET /stats/line-list", () => {
  it("gives the national role de-identified rows, paged, and never a personal field", async () => {
    const first = await get<LineListReply>(
      "nation",
      "/api/v1/stats/line-list?from=2021-01-01&to=2021-02-28&limit=2",
    );
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).not.toBeNull();
    const rest = await get<LineListReply>(
      "nation",
      `/api/v1/stats/line-list?from=2021-01-01&to=2021-02-28&limit=50&cursor=${first.body.nextCursor}`,
    );
    const rows = [...first.body.items, ...rest.body.items];
    // The four cases above (the contact is not a case), oldest diagnosis first.
    expect(rows.map((r) => `${r.prefectureCode} ${r.diagnosisDate} ${r.status}`)).toEqual([
      "13 2021-01-03 released",
      "13 2021-01-04 deceased",
      "14 2021-01-05 hotel",
      "13 2021-02-01 awaiting",
    ]);
    for (const r of rows)
      expect(Object.keys(r).sort()).toEqual([
        "ageBand",
        "diagnosisDate",
        "diseaseCode",
        "prefectureCode",
        "sex",
        "status",
      ]);
    const text = JSON.stringify(rows);
    expect(text).not.toMatch(/トウケイ|birth|name|phone|address|[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it("pages by a cursor of date and position, with no case identifier; a forged cursor is a 400", async () => {
    for (const [prefectureCode, diagnosisDate] of [
      ["13", "2021-06-10"],
      ["14", "2021-06-10"],
      ["13", "2021-06-10"],
      ["14", "2021-06-11"],
    ])
      await caseWithHistory({ prefectureCode, diagnosisClass: "confirmed", diagnosisDate, steps: [] });
    const range = "from=2021-06-01&to=2021-06-30";
    const whole = await get<LineListReply>("nation", `/api/v1/stats/line-list?${range}`);
    expect(whole.body.items).toHaveLength(4);
    expect(whole.body.nextCursor).toBeNull();
    const paged: Record<string, unknown>[] = [];
    const cursors: string[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page: { status: number; body: LineListReply } = await get<LineListReply>(
        "nation",
        `/api/v1/stats/line-list?${range}&limit=1${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(page.status).toBe(200);
      paged.push(...page.body.items);
      cursor = page.body.nextCursor;
      if (cursor) cursors.push(cursor);
    }
    expect(paged).toEqual(whole.body.items);
    expect(cursors).toHaveLength(3);
    for (const c of cursors)
      expect(Buffer.from(c, "base64url").toString("utf8")).toMatch(/^\{"d":"2021-06-1[01]","n":\d+\}$/);
    // A prefecture's pages of the same range: its own rows, in the same order.
    const tokyo = await get<LineListReply>("pref", `/api/v1/stats/line-list?${range}&limit=1`);
    const next = await get<LineListReply>(
      "pref",
      `/api/v1/stats/line-list?${range}&limit=1&cursor=${tokyo.body.nextCursor}`,
    );
    expect([...tokyo.body.items, ...next.body.items].map((i) => i.prefectureCode)).toEqual(["13", "13"]);
    expect(next.body.nextCursor).toBeNull();

    const forged = [
      "50", // the old position cursor
      "e30", // {}
      Buffer.from('{"d":"2021-13-01","n":1}').toString("base64url"),
      Buffer.from('{"d":"2021-06-10","n":-1}').toString("base64url"),
      Buffer.from('{"d":"2021-06-10","n":1,"id":"x"}').toString("base64url"),
      "%00%FF",
    ];
    for (const c of forged) {
      const res = await get<{ error: { details: { path: string }[] } }>(
        "nation",
        `/api/v1/stats/line-list?${range}&cursor=${c}`,
      );
      expect(res.status, c).toBe(400);
      expect(res.body.error.details.map((d) => d.path)).toEqual(["cursor"]);
    }
  });

  it("keeps a prefecture to its own rows and refuses the other roles", async () => {
    const own = await get<LineListReply>("pref", "/api/v1/stats/line-list?from=2021-01-01&to=2021-02-28");
    expect(own.body.items.every((r) => r.prefectureCode === "13")).toBe(true);
    expect((await get("pref", "/api/v1/stats/line-list?prefectureCode=14")).status).toBe(403);
    for (const who of ["hc-a", "clinic-a", "admin"])
      expect((await get(who, "/api/v1/stats/line-list")).status).toBe(403);
    expect((await server.api("GET", "/api/v1/stats/line-list")).status).toBe(401);
  });

  it("answers a national request filtering by personal fields with 400 naming each", async () => {
    const res = await get<{ error: { details: { path: string; message: string }[] } }>(
      "nation",
      "/api/v1/stats/line-list?name=%E5%B1%B1%E7%94%B0&phone=0312345678&birthDate=1980-01-01",
    );
    expect(res.status).toBe(400);
    const paths = res.body.error.details.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(["name", "phone", "birthDate"]));
    expect(res.body.error.details.find((d) => d.path === "name")?.message).toContain("個人を特定");
  });
});

describe("GET /stats/line-list.csv", () => {
  const patient = {
    nameKanji: "匿名 太郎",
    nameKana: "トクメイ タロウ",
    birthDate: "1958-07-21",
    sex: "male" as const,
    phone: "090-1111-2222",
    email: "tokumei@example.jp",
    postalCode: "1600023",
    address: { prefectureCode: "13", municipalityCode: "131041", line: "西新宿9-9-9 匿名荘" },
  };
  const csv = (who: string | null, path: string) =>
    fetch(`${server.url}${path}`, { headers: who ? { authorization: `Bearer ${token[who]}` } : {} });
  const lines = async (res: Response) => (await res.text()).split("\r\n").filter(Boolean);

  beforeAll(async () => {
    await caseWithHistory({
      prefectureCode: "13",
      diagnosisClass: "confirmed",
      diagnosisDate: "2021-09-02",
      steps: [["hospitalized", "2021-09-02T12:00:00+09:00"]],
      person: patient,
    });
    await caseWithHistory({
      prefectureCode: "14",
      diagnosisClass: "confirmed",
      diagnosisDate: "2021-09-03",
      steps: [],
    });
  });

  it("gives the national role the line list's rows as labelled CSV, with no personal field in the bytes", async () => {
    const range = "from=2021-09-01&to=2021-09-30";
    const res = await csv("nation", `/api/v1/stats/line-list.csv?${range}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("content-disposition")).toContain("line-list-2021-09-01-2021-09-30.csv");
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString("utf8");
    expect(text.split("\r\n").filter(Boolean)).toEqual([
      "\uFEFF年代,性別,都道府県コード,都道府県名,感染症,診断日,状態",
      "60代,男性,13,東京都,新型コロナウイルス感染症,2021-09-02,入院中",
      "不明,不明,14,神奈川県,新型コロナウイルス感染症,2021-09-03,療養先調整中",
    ]);
    for (const value of [
      patient.nameKanji,
      patient.nameKana,
      patient.birthDate,
      patient.phone,
      "09011112222",
    ])
      expect(text).not.toContain(value);
    expect(text).not.toMatch(/トウケイ|匿名荘|tokumei|1600023|[0-9a-f]{8}-[0-9a-f]{4}-/);
    // The same rows and order as the JSON line list of the same filter.
    const json = await get<LineListReply>("nation", `/api/v1/stats/line-list?${range}`);
    expect(json.body.items.map((i) => `${i.prefectureCode},${i.diagnosisDate}`)).toEqual(
      text
        .split("\r\n")
        .slice(1, -1)
        .map((l) => `${l.split(",")[2]},${l.split(",")[5]}`),
    );
    // The download is logged against the national user.
    const logged = await server.ctx.db
      .selectFrom("audit_log")
      .select(["action", "detail"])
      .where("entity", "=", "stats_line_list")
      .execute();
    expect(logged.map((r) => r.action)).toContain("export");
  });

  it("writes batches after the last (date, id) in the order of the JSON pages", async () => {
    const filter = { from: "2021-01-01", to: "2021-09-30", prefectureCodes: null };
    const whole = await get<LineListReply>(
      "nation",
      "/api/v1/stats/line-list?from=2021-01-01&to=2021-09-30&limit=500",
    );
    const walked: string[] = [];
    let key: ExportKey | undefined;
    for (;;) {
      const [r] = await lineListBatchQuery(server.ctx.db, filter, key, 1).execute();
      if (!r) break;
      walked.push(`${r.prefecture_code} ${r.diagnosis_date} ${r.status}`);
      key = { date: r.diagnosis_date, id: r.id };
    }
    expect(walked).toEqual(whole.body.items.map((i) => `${i.prefectureCode} ${i.diagnosisDate} ${i.status}`));
    expect(walked.length).toBeGreaterThan(5);
  });

  it("keeps a prefecture to its own rows and refuses the other roles and no token", async () => {
    const own = await csv("pref", "/api/v1/stats/line-list.csv?from=2021-09-01&to=2021-09-30");
    expect(own.status).toBe(200);
    const rows = (await lines(own)).slice(1);
    expect(rows).toHaveLength(1);
    expect(rows.every((l) => l.split(",")[2] === "13")).toBe(true);
    expect((await csv("pref", "/api/v1/stats/line-list.csv?prefectureCode=14")).status).toBe(403);
    for (const who of ["hc-a", "clinic-a", "hospital-a", "admin"])
      expect((await csv(who, "/api/v1/stats/line-list.csv")).status, who).toBe(403);
    expect((await csv(null, "/api/v1/stats/line-list.csv")).status).toBe(401);
  });

  it("answers bad input with 400 naming the field", async () => {
    const fields = async (query: string) => {
      const res = await get<{ error: { details: { path: string; message: string }[] } }>(
        "nation",
        `/api/v1/stats/line-list.csv?${query}`,
      );
      expect(res.status, query).toBe(400);
      return res.body.error.details.map((d) => d.path);
    };
    expect(await fields("name=%E5%8C%BF%E5%90%8D&birthDate=1958-07-21")).toEqual(
      expect.arrayContaining(["name", "birthDate"]),
    );
    expect(await fields("from=2021-13-01")).toEqual(["from"]);
    expect(await fields("from=2021-09-30&to=2021-09-01")).toEqual(["from"]);
    expect(await fields("prefectureCode=99")).toEqual(["prefectureCode"]);
    // Every bad field in one reply, the prefecture's code among them.
    expect(await fields("from=2021-13-01&prefectureCode=99")).toEqual(["from", "prefectureCode"]);
    expect(await fields("limit=10")).toEqual(["limit"]);
  });
});

describe("daily age-band totals (日次報告)", () => {
  it("count in newCases, the latest report of a facility and date in force; ?limit= is accepted", async () => {
    const date = "2022-10-04";
    const report = (n: number) =>
      server.api("POST", "/api/v1/notifications/daily-counts", {
        token: token["clinic-a"],
        body: {
          date,
          counts: [
            { ageBand: "20s", count: n },
            { ageBand: "40s", count: 2 },
          ],
        },
      });
    expect((await report(5)).status).toBe(201);
    // A corrected report replaces the first one; it is not added to it.
    expect((await report(7)).status).toBe(201);
    const res = await get<Reply>("nation", `/api/v1/stats/daily?from=${date}&to=${date}&limit=100`);
    expect(res.status).toBe(200);
    const tokyo = res.body.items.find((r) => r.date === date && r.prefectureCode === "13");
    expect(tokyo?.newCases).toBe(9);
  });
});

describe("daily rows and ranges (pure)", () => {
  it("adds each day's entries and leavings to the running counts and leaves out days without any count", () => {
    const aggregate = (day: string | null, counts: Partial<AggregateRow>): AggregateRow =>
      ({
        day,
        prefecture_code: "13",
        key: null,
        ...Object.fromEntries([...newCaseMeasures, ...statusMeasures].map((m) => [m, 0])),
        ...counts,
      }) as AggregateRow;
    const rows = dailyRows(datesBetween("2022-08-01", "2022-08-04"), [
      aggregate(null, { hotel: 4 }),
      aggregate("2022-08-02", { diagnosed: 3, home: 2, hotel: -4 }),
      aggregate("2022-08-04", { home: -2 }),
    ]);
    expect(rows).toEqual([
      row("2022-08-01", "13", { hotel: 4 }),
      row("2022-08-02", "13", { newCases: 3, home: 2 }),
      row("2022-08-03", "13", { home: 2 }),
    ]);
  });

  it("defaults to the 30 days up to today and caps a range at 10 years", () => {
    expect(rangeOf({}, "2022-08-31")).toEqual({ from: "2022-08-02", to: "2022-08-31" });
    expect(rangeOf({ from: "2022-08-20" }, "2022-08-31")).toEqual({ from: "2022-08-20", to: "2022-08-31" });
    expect(rangeOf({ from: "2022-01-01" }, "2022-08-31")).toEqual({ from: "2022-01-01", to: "2022-01-30" });
    expect(rangeOf({ from: "2012-08-01", to: "2022-07-31" })).toEqual({
      from: "2012-08-01",
      to: "2022-07-31",
    });
    expect(() => rangeOf({ from: "2012-08-01", to: "2022-08-01" })).toThrow(/10年/);
  });
});
