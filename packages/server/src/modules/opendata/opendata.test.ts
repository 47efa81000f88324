import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, todayInTokyo } from "#domain/dates.ts";
import { csvField } from "../../http/csv.ts";
import { systemActor } from "../../policies/actor.ts";
import { startTestServer, type TestServer } from "../../test/harness.ts";
import { createCase, insertPerson } from "../cases/core.ts";
import { countColumns, patientColumns } from "./csv.ts";

let server: TestServer;
const token: Record<string, string> = {};
type ErrorBody = { error: { code: string; message: string; details: { path: string; message: string }[] } };
const today = todayInTokyo();

async function get(who: string | null, path: string) {
  const res = await fetch(`${server.url}${path}`, {
    headers: who ? { authorization: `Bearer ${token[who]}` } : {},
  });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return {
    status: res.status,
    headers: res.headers,
    bytes,
    text: new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes),
  };
}

/** Parses our CSV (fields quoted only when they hold a comma, quote or line end). */
function parse(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text
    .replace(/^\uFEFF/, "")
    .split("\r\n")
    .filter(Boolean)) {
    const fields: string[] = [];
    const re = /("(?:[^"]|"")*"|[^,]*)(,|$)/g;
    for (const m of line.matchAll(re)) {
      fields.push(m[1].startsWith('"') ? m[1].slice(1, -1).replaceAll('""', '"') : m[1]);
      if (m[2] === "") break;
    }
    rows.push(fields);
  }
  return rows;
}

/** A positive case in 長野県 (20), where the demo has no cases of its own. */
async function positiveCase(o: {
  municipalityCode: string;
  birthDate: string;
  sex: "male" | "female" | "other" | "unknown";
  diagnosisDate: string;
  severity?: "mild" | "moderate1" | "moderate2" | "severe";
  symptoms?: string[];
  diagnosisClass?: "confirmed" | "asymptomatic_carrier" | "suspected";
}) {
  const db = server.ctx.db;
  const center = await db
    .selectFrom("municipalities")
    .select("health_center_id")
    .where("code", "=", o.municipalityCode)
    .executeTakeFirstOrThrow();
  return db.transaction().execute(async (trx) => {
    const personId = await insertPerson(trx, {
      prefectureCode: "20",
      nameKanji: "公開 禁止",
      nameKana: "コウカイ キンシ",
      birthDate: o.birthDate,
      sex: o.sex,
      phone: "090-1234-5678",
      address: { prefectureCode: "20", municipalityCode: o.municipalityCode, line: "非公開町1-2-3" },
    });
    const { id } = await createCase(trx, systemActor(), {
      personId,
      diseaseCode: "measles",
      prefectureCode: "20",
      status: "home",
      diagnosisClass: o.diagnosisClass ?? "confirmed",
      responsibleHealthCenterId: center.health_center_id!,
      diagnosisDate: o.diagnosisDate,
      onsetDate: addDays(o.diagnosisDate, -2),
      details: { severity: o.severity, symptoms: o.symptoms ?? ["fever"] },
    });
    return id;
  });
}

let nagano: { code: string; name: string };

beforeAll(async () => {
  server = await startTestServer();
  for (const id of ["hc-a", "clinic-a", "hospital-a", "pref", "nation", "admin"])
    token[id] = await server.login(id);
  const db = server.ctx.db;
  nagano = await db
    .selectFrom("municipalities")
    .select(["code", "name"])
    .where("prefecture_code", "=", "20")
    .orderBy("code")
    .executeTakeFirstOrThrow();
  await positiveCase({
    municipalityCode: nagano.code,
    birthDate: "1985-06-15",
    sex: "female",
    diagnosisDate: addDays(today, -3),
    severity: "moderate2",
    symptoms: ["fever", "cough"],
  });
  await positiveCase({
    municipalityCode: nagano.code,
    birthDate: "1930-01-01",
    sex: "unknown",
    diagnosisDate: addDays(today, -1),
  });
  // Not counted: a suspected case.
  await positiveCase({
    municipalityCode: nagano.code,
    birthDate: "2000-01-01",
    sex: "male",
    diagnosisDate: addDays(today, -1),
    diagnosisClass: "suspected",
  });
});
afterAll(async () => {
  await server?.stop();
});

describe("陽性患者属性", () => {
  it("is UTF-8 with BOM, the standard's columns in order, one de-identified row per positive patient", async () => {
    const res = await get("nation", "/api/v1/opendata/20/positive-patients.csv");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect([...res.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parse(res.text);
    expect(header).toEqual([...patientColumns]);
    expect(rows).toHaveLength(2);
    const [first, second] = rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
    expect(first).toMatchObject({
      No: "1",
      全国地方公共団体コード: "200000",
      都道府県名: "長野県",
      市区町村名: "",
      公表_年月日: addDays(today, -3),
      発症_年月日: addDays(today, -5),
      患者_居住地: `長野県${nagano.name}`,
      患者_性別: "女性",
      患者_状態: "中等症",
      患者_症状: expect.stringMatching(/^[^;]+;[^;]+$/),
      患者_退院済フラグ: "0",
      備考: "麻しん",
    });
    expect(first.患者_年代).toMatch(/^(30|40)代$/);
    expect(second).toMatchObject({ No: "2", 患者_年代: "90歳以上", 患者_性別: "", 患者_状態: "" });
    // Never a name, address line, phone or birth date.
    for (const secret of ["公開", "コウカイ", "非公開町", "090-1234-5678", "1985-06-15", "1930-01-01"])
      expect(res.text).not.toContain(secret);
  });

  it("guards text cells against spreadsheet formulas, and quotes what needs quoting", () => {
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("+81")).toBe("'+81");
    expect(csvField("発熱,咳")).toBe('"発熱,咳"');
    expect(csvField(-1)).toBe("-1");
    expect(csvField(null)).toBe("");
  });
});

describe("陽性患者数", () => {
  it("has one row per date of the range with its weekday, positives by diagnosis date", async () => {
    const from = addDays(today, -6);
    const res = await get("pref", `/api/v1/opendata/13/positive-counts.csv?from=${from}&to=${today}`);
    expect(res.status).toBe(200);
    const nation = await get("nation", `/api/v1/opendata/20/positive-counts.csv?from=${from}&to=${today}`);
    const [header, ...rows] = parse(nation.text);
    expect(header).toEqual([...countColumns]);
    expect(rows.map((r) => r[4])).toEqual(Array.from({ length: 7 }, (_, i) => addDays(from, i)));
    expect(rows.every((r) => ["日", "月", "火", "水", "木", "金", "土"].includes(r[5]))).toBe(true);
    const positives = Object.fromEntries(rows.map((r) => [r[4], Number(r[6])]));
    expect(positives[addDays(today, -3)]).toBe(1);
    expect(positives[addDays(today, -1)]).toBe(1);
    expect(rows.reduce((n, r) => n + Number(r[6]), 0)).toBe(2);
  });
});

describe("who may download, and bad input", () => {
  it("lets national and admin fetch any prefecture, a prefecture its own only, nobody else", async () => {
    const path = (code: string) => `/api/v1/opendata/${code}/positive-patients.csv`;
    expect((await get("nation", path("01"))).status).toBe(200);
    expect((await get("admin", path("20"))).status).toBe(200);
    expect((await get("pref", path("13"))).status).toBe(200);
    expect((await get("pref", path("20"))).status).toBe(403);
    for (const who of ["hc-a", "clinic-a", "hospital-a"])
      expect((await get(who, path("13"))).status).toBe(403);
    expect((await get(null, path("13"))).status).toBe(401);
  });

  it("answers 400 naming the prefecture code, a range over 10 years and an unknown disease", async () => {
    const bad = await server.api<ErrorBody>("GET", "/api/v1/opendata/99/positive-counts.csv", {
      token: token.nation,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d) => d.path)).toEqual(["prefectureCode"]);
    expect(bad.body.error.message).toContain("99");
    const long = await server.api<ErrorBody>(
      "GET",
      `/api/v1/opendata/13/positive-patients.csv?from=2010-01-01&to=${today}`,
      { token: token.nation },
    );
    expect(long.status).toBe(400);
    expect(long.body.error.details.map((d) => d.path)).toEqual(["from"]);
    const disease = await server.api<ErrorBody>(
      "GET",
      "/api/v1/opendata/13/positive-patients.csv?diseaseCode=no_such_disease",
      { token: token.nation },
    );
    expect(disease.status).toBe(400);
    expect(disease.body.error.details.map((d) => d.path)).toEqual(["diseaseCode"]);
    const date = await server.api<ErrorBody>(
      "GET",
      "/api/v1/opendata/13/positive-patients.csv?from=2024-02-30",
      {
        token: token.nation,
      },
    );
    expect(date.status).toBe(400);
    expect(date.body.error.details.map((d) => d.path)).toContain("from");
  });

  it("streams many patients in order, numbering every row", async () => {
    const db = server.ctx.db;
    const center = await db
      .selectFrom("municipalities")
      .select("health_center_id")
      .where("code", "=", nagano.code)
      .executeTakeFirstOrThrow();
    const n = 2000;
    // Bulk rows straight in SQL: thousands of notifications through the API would take minutes.
    await sql`
      with p as (
        insert into persons (prefecture_code, name_kana, name_kana_folded, birth_date, sex, address_municipality_code)
        select '20', 'タイリョウ', 'たいりょう', date '1960-01-01' + (g % 20000), 'male', ${nagano.code}
        from generate_series(1, ${n}) g
        returning id
      )
      insert into cases (person_id, prefecture_code, disease_code, diagnosis_class, status, responsible_health_center_id, diagnosis_date)
      select p.id, '20', 'measles', 'confirmed', 'released', ${center.health_center_id}, ${addDays(today, -30)}::date
      from p`.execute(db);
    const res = await get("nation", `/api/v1/opendata/20/positive-patients.csv?from=${addDays(today, -30)}`);
    expect(res.status).toBe(200);
    const rows = parse(res.text).slice(1);
    expect(rows).toHaveLength(n + 2);
    expect(rows.map((r) => Number(r[0]))).toEqual(Array.from({ length: n + 2 }, (_, i) => i + 1));
    expect(rows.slice(0, n).every((r) => r[4] === addDays(today, -30) && r[13] === "1")).toBe(true);
  });
});
