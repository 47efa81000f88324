import { readFileSync } from "node:fs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, todayInTokyo } from "#domain/dates.ts";
import { nameVariantGroups } from "#domain/kanji-variants.ts";
import { systemActor } from "../../policies/actor.ts";
import { startTestServer, type TestServer } from "../../test/harness.ts";
import { createCase, insertPerson } from "../cases/core.ts";

// 患者一覧 search folds the common 人名 異体字 on both sides: a query typed 斉藤 finds a person
// registered as 齋藤, and one registered before the folding existed (migration 0821).

const migration = readFileSync(
  new URL("../../db/migrations/0821_name_variant_keys.sql", import.meta.url),
  "utf8",
);

let server: TestServer;
let token = "";
let center = "";
let municipality = "";
const today = todayInTokyo();

beforeAll(async () => {
  server = await startTestServer();
  token = await server.login("hc-a");
  const me = await server.api<{ affiliation: { id: string } }>("GET", "/api/v1/me", { token });
  center = me.body.affiliation.id;
  const m = await server.ctx.db
    .selectFrom("municipalities")
    .select("code")
    .where("health_center_id", "=", center)
    .orderBy("code")
    .executeTakeFirstOrThrow();
  municipality = m.code;
});
afterAll(async () => {
  await server?.stop();
});

async function caseOf(nameKanji: string, nameKana: string) {
  return server.ctx.db.transaction().execute(async (trx) => {
    const personId = await insertPerson(trx, {
      prefectureCode: "13",
      nameKanji,
      nameKana,
      birthDate: "1975-05-05",
      sex: "female",
      address: { prefectureCode: "13", municipalityCode: municipality, line: "1-1" },
    });
    const c = await createCase(trx, systemActor(), {
      personId,
      prefectureCode: "13",
      status: "home",
      diagnosisClass: "confirmed",
      responsibleHealthCenterId: center,
      diagnosisDate: addDays(today, -1),
    });
    return { caseId: c.id, personId };
  });
}

async function search(q: string): Promise<string[]> {
  const res = await server.api<{ items: { id: string; nameKanji: string }[] }>(
    "GET",
    `/api/v1/cases?limit=500&q=${encodeURIComponent(q)}`,
    { token },
  );
  expect(res.status).toBe(200);
  return res.body.items.map((i) => i.nameKanji).sort();
}

describe("name search across 異体字", () => {
  it("finds every spelling of a name from any one of them", async () => {
    const names = [
      ["齋藤 紬希", "サイトウ ツムギ"],
      ["齊藤 紬希", "サイトウ ツムギ"],
      ["斎藤 紬希", "サイトウ ツムギ"],
      ["髙橋 琴葉", "タカハシ コトハ"],
      ["渡邊 湊斗", "ワタナベ ミナト"],
      ["渡邉 湊斗", "ワタナベ ミナト"],
      ["山﨑 陽葵", "ヤマザキ ヒマリ"],
    ];
    for (const [kanji, kana] of names) await caseOf(kanji, kana);
    const saito = ["齊藤 紬希", "斎藤 紬希", "齋藤 紬希"].sort();
    expect(await search("斉藤 紬希")).toEqual(saito);
    expect(await search("齋藤紬希")).toEqual(saito);
    expect(await search("高橋 琴葉")).toEqual(["髙橋 琴葉"]);
    expect(await search("渡辺 湊斗")).toEqual(["渡邉 湊斗", "渡邊 湊斗"].sort());
    expect(await search("山崎陽葵")).toEqual(["山﨑 陽葵"]);
    // Part of a name, as the list's search box allows.
    expect(await search("崎陽")).toEqual(["山﨑 陽葵"]);
  });

  it("recomputes the keys of persons stored before the folding (migration 0821)", async () => {
    const { personId } = await caseOf("濱田 結衣子", "ハマダ ユイコ");
    // The key as it was stored before: NFKC and no spaces only.
    await server.ctx.db
      .updateTable("persons")
      .set({ name_kanji_folded: "濱田結衣子" })
      .where("id", "=", personId)
      .execute();
    expect(await search("浜田 結衣子")).toEqual([]);
    await sql.raw(migration).execute(server.ctx.db);
    const row = await server.ctx.db
      .selectFrom("persons")
      .select("name_kanji_folded")
      .where("id", "=", personId)
      .executeTakeFirstOrThrow();
    expect(row.name_kanji_folded).toBe("浜田結衣子");
    expect(await search("浜田 結衣子")).toEqual(["濱田 結衣子"]);
  });

  it("keeps the migration's table the same as the one queries are folded with", () => {
    const [, variants, keys] = /'([^']+)', -- variants\n\s*'([^']+)' -- keys/u.exec(migration) ?? [];
    const pairs = nameVariantGroups.flatMap(([key, v]) => Array.from(v, (c) => [c, key]));
    expect(Array.from(variants ?? "")).toEqual(pairs.map(([v]) => v));
    expect(Array.from(keys ?? "")).toEqual(pairs.map(([, k]) => k));
  });
});
