import Encoding from "encoding-japanese";
import pg from "pg";
import { foldKana } from "../packages/domain/src/kana.ts";
import { openDatabase } from "../packages/server/src/db/database.ts";
import {
  type CaseListFilter,
  findCaseRecord,
  listCasesQuery,
} from "../packages/server/src/modules/cases/repository.ts";
import { parseCaseQuery } from "../packages/server/src/modules/cases/search.ts";
import type { Actor } from "../packages/server/src/policies/actor.ts";
import { generatedDatabase } from "./generate.ts";
import { login, type ServerProcess, startServerProcess, summarize, writeResults } from "./lib.ts";

/**
 * 患者一覧 and the case record at national scale (issue 5): a fresh PostgreSQL database filled
 * by bench/generate.ts (BENCH_PERSONS persons, BENCH_CASES active cases; defaults 2,000,000 and
 * 1,500,000), a real server process, and sequential HTTP requests as 保健所 A (2% of all cases)
 * and the prefecture. Targets: first page with any single filter p95 < 50 ms, name search
 * p95 < 50 ms, record open p95 < 30 ms. Baselines measured in the same run: a primary-key
 * lookup over pg and GET /healthz over HTTP; figures are also given as ratios to them.
 * The plans of the SQL relied on (EXPLAIN ANALYZE, BUFFERS) go to bench/results/cases.json.
 */

const persons = Number(process.env.BENCH_PERSONS ?? 2_000_000);
const activeCases = Number(process.env.BENCH_CASES ?? 1_500_000);
const samples = Number(process.env.BENCH_SAMPLES ?? 200);

/** One GET as a signed-in user; every reply must be 200. */
async function timedGet(url: string, token: string, path: string) {
  const t = performance.now();
  const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { items?: unknown[] };
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
  return { ms: performance.now() - t, rows: body.items?.length ?? 1 };
}

type Probe = { name: string; run: (i: number) => Promise<{ ms: number; rows: number }> };

/**
 * Sequential requests (one user at a screen), interleaved round-robin over every scenario and
 * the baselines, so a burst of load from elsewhere on a shared machine lands on all of them
 * alike instead of on whichever scenario ran at that moment.
 */
async function measureAll(probes: Probe[]) {
  for (let i = 0; i < 10; i++) for (const p of probes) await p.run(i);
  const latencies = new Map(probes.map((p) => [p.name, [] as number[]]));
  const rows = new Map(probes.map((p) => [p.name, 0]));
  for (let i = 0; i < samples; i++) {
    for (const p of probes) {
      const r = await p.run(i);
      latencies.get(p.name)!.push(r.ms);
      rows.set(p.name, rows.get(p.name)! + r.rows);
    }
  }
  return new Map(
    probes.map((p) => [
      p.name,
      { ...summarize(latencies.get(p.name)!), meanRows: Math.round((rows.get(p.name)! / samples) * 10) / 10 },
    ]),
  );
}

const pick = <T>(items: T[], i: number) => items[(i * 7919) % items.length];

async function main() {
  const db = await generatedDatabase({ persons, activeCases });
  console.log(`database ${db.url}`);
  const generated = db.generated;
  let server: ServerProcess | null = null;
  const client = new pg.Client({ connectionString: db.url });
  try {
    await client.connect();
    // The server migrates at start, so a kept database also gets later migrations.
    server = await startServerProcess({ DATABASE_URL: db.url, DEMO: "1" });
    const [hc, pref] = [await login(server.url, "hc-a"), await login(server.url, "pref")];

    const { rows: center } = await client.query<{ user_id: string; health_center_id: string }>(
      "select id as user_id, health_center_id from users where login_id = 'hc-a'",
    );
    const hcId = center[0].health_center_id;
    const { rows: mine } = await client.query<{
      id: string;
      case_number: string;
      name_kanji: string;
      name_kana: string;
      phone: string;
      diagnosis_date: string | null;
    }>(
      `select c.id, c.case_number, p.name_kanji, p.name_kana, p.phone, c.diagnosis_date::text
         from cases c join persons p on p.id = c.person_id
        where c.responsible_health_center_id = $1 order by random() limit 500`,
      [hcId],
    );
    const { rows: allIds } = await client.query<{ id: string }>(
      "select id from cases tablesample system (1) limit 2000",
    );
    const visible = await client.query<{ n: number }>(
      "select count(*)::int n from cases where responsible_health_center_id = $1",
      [hcId],
    );
    console.log(`保健所 A has ${visible.rows[0].n} cases`);

    const day = mine.find((m) => m.diagnosis_date)?.diagnosis_date ?? "2022-08-19";
    const q = (s: string) => encodeURIComponent(s);
    const list = (query: string) => [`/api/v1/cases?${query}`];
    const scenarios: Record<string, { target: number; kind: string; paths: string[]; token?: string }> = {
      "list: no filter (updated, newest first)": { target: 50, kind: "list", paths: list("") },
      "list: status=home": { target: 50, kind: "list", paths: list("status=home") },
      "list: status=hospitalized_severe (rare)": {
        target: 50,
        kind: "list",
        paths: list("status=hospitalized_severe"),
      },
      "list: diagnosisClass=suspected": { target: 50, kind: "list", paths: list("diagnosisClass=suspected") },
      "list: diagnosis date = one day": {
        target: 50,
        kind: "list",
        paths: list(`diagnosisFrom=${day}&diagnosisTo=${day}`),
      },
      "list: onset date from a day": { target: 50, kind: "list", paths: list(`onsetFrom=${day}`) },
      "list: welfareLiaisonNeeded=true": {
        target: 50,
        kind: "list",
        paths: list("welfareLiaisonNeeded=true"),
      },
      "list: householdHasHighRisk=true": {
        target: 50,
        kind: "list",
        paths: list("householdHasHighRisk=true"),
      },
      "list: hasUnderlyingConditions=true": {
        target: 50,
        kind: "list",
        paths: list("hasUnderlyingConditions=true"),
      },
      "list: sort by diagnosis date": { target: 50, kind: "list", paths: list("sort=-diagnosisDate") },
      "list: sort by case number": { target: 50, kind: "list", paths: list("sort=caseNumber") },
      "list: prefecture, no filter": { target: 50, kind: "list", paths: list(""), token: pref },
      "list: prefecture, status=awaiting": {
        target: 50,
        kind: "list",
        paths: list("status=awaiting"),
        token: pref,
      },
      "list: prefecture, healthCenterId": {
        target: 50,
        kind: "list",
        paths: list(`healthCenterId=${hcId}`),
        token: pref,
      },
      "search: full name in kanji": {
        target: 50,
        kind: "search",
        paths: mine.map((m) => `/api/v1/cases?q=${q(m.name_kanji)}`),
      },
      "search: full name in katakana with a space": {
        target: 50,
        kind: "search",
        paths: mine.map((m) => `/api/v1/cases?q=${q(m.name_kana)}`),
      },
      "search: full name in hiragana without spaces": {
        target: 50,
        kind: "search",
        paths: mine.map((m) => `/api/v1/cases?q=${q(foldKana(m.name_kana))}`),
      },
      "search: full name in half-width kana": {
        target: 50,
        kind: "search",
        paths: mine.map((m) => `/api/v1/cases?q=${q(Encoding.toHankanaCase(m.name_kana))}`),
      },
      "search: surname in kanji": {
        target: 50,
        kind: "search",
        paths: mine.map((m) => `/api/v1/cases?q=${q(m.name_kanji.split(" ")[0])}`),
      },
      "search: surname in kanji, prefecture": {
        target: 50,
        kind: "search",
        token: pref,
        paths: mine.map((m) => `/api/v1/cases?q=${q(m.name_kanji.split(" ")[0])}`),
      },
      "search: given name in katakana": {
        target: 50,
        kind: "search",
        paths: mine.map((m) => `/api/v1/cases?q=${q(m.name_kana.split(" ")[1] ?? m.name_kana)}`),
      },
      "search: phone number": {
        target: 50,
        kind: "search",
        paths: mine.map((m) => `/api/v1/cases?q=${q(m.phone)}`),
      },
      "search: case number": {
        target: 50,
        kind: "search",
        paths: mine.map((m) => `/api/v1/cases?q=${Number(m.case_number)}`),
      },
      "record: open a case": { target: 30, kind: "record", paths: mine.map((m) => `/api/v1/cases/${m.id}`) },
    };
    const probes: Probe[] = [
      {
        name: "primaryKeyLookup",
        run: async (i) => {
          const t = performance.now();
          await client.query("select * from cases where id = $1", [pick(allIds, i).id]);
          return { ms: performance.now() - t, rows: 1 };
        },
      },
      { name: "healthz", run: () => timedGet(server!.url, hc, "/healthz") },
      ...Object.entries(scenarios).map(([name, sc]) => ({
        name,
        run: (i: number) => timedGet(server!.url, sc.token ?? hc, sc.paths[i % sc.paths.length]),
      })),
    ];
    const measured = await measureAll(probes);
    const baselines = {
      primaryKeyLookup: measured.get("primaryKeyLookup")!,
      healthz: measured.get("healthz")!,
    };
    console.log("baselines", baselines);
    const results: Record<string, unknown> = {};
    for (const [name, sc] of Object.entries(scenarios)) {
      const r = measured.get(name)!;
      results[name] = {
        ...r,
        targetP95: sc.target,
        pass: r.p95 < sc.target,
        p95PerPrimaryKeyLookup: Math.round((r.p95 / baselines.primaryKeyLookup.p95) * 10) / 10,
        p95PerHealthz: Math.round((r.p95 / baselines.healthz.p95) * 10) / 10,
      };
      console.log(
        `${r.p95 < sc.target ? "ok  " : "SLOW"} ${name}: p50 ${r.p50} ms, p95 ${r.p95} ms (${r.meanRows} rows)`,
      );
    }

    const plans = await explainPlans(
      db.url,
      client,
      { userId: center[0].user_id, healthCenterId: hcId },
      mine[0],
      day,
    );
    const path = writeResults("cases", {
      parameters: { persons, activeCases, samples, clients: 1, order: "round-robin over scenarios" },
      generated,
      casesOfHealthCenterA: visible.rows[0].n,
      baselines,
      results,
      plans,
    });
    console.log(`results: ${path}`);
  } finally {
    await server?.stop();
    await client.end().catch(() => {});
    if (process.env.BENCH_KEEP !== "1") await db.drop();
  }
}

/** EXPLAIN (ANALYZE, BUFFERS) of the SQL the server runs, compiled from the same repository code. */
async function explainPlans(
  url: string,
  client: pg.Client,
  user: { userId: string; healthCenterId: string },
  sample: { id: string; name_kanji: string; name_kana: string },
  day: string,
) {
  const actor: Actor = {
    userId: user.userId,
    loginId: "hc-a",
    displayName: "bench",
    role: "health_center",
    healthCenterId: user.healthCenterId,
    facilityId: null,
    facilityKind: null,
    prefectureCode: "13",
    affiliation: { kind: "health_center", id: user.healthCenterId, name: "" },
    ip: "bench",
  };
  const database = await openDatabase({ url });
  const page = { limit: 51 };
  const filters: Record<string, CaseListFilter> = {
    "list: no filter": { sort: "-updatedAt" },
    "list: status=hospitalized_severe": { sort: "-updatedAt", status: ["hospitalized_severe"] },
    "list: diagnosis date = one day": { sort: "-updatedAt", diagnosisFrom: day, diagnosisTo: day },
    "search: surname in kanji": {
      sort: "-updatedAt",
      query: parseCaseQuery(sample.name_kanji.split(" ")[0]),
    },
    "search: full name in kana": {
      sort: "-updatedAt",
      query: parseCaseQuery(sample.name_kana),
    },
  };
  const queries: Record<string, { compile: () => { sql: string; parameters: readonly unknown[] } }> = {
    "record: the case row": findCaseRecord(database.db, actor, sample.id),
  };
  for (const [name, filter] of Object.entries(filters)) {
    queries[name] = listCasesQuery(database.db, actor, filter, page);
  }
  const prefecture: Actor = {
    ...actor,
    loginId: "pref",
    role: "prefecture",
    healthCenterId: null,
    affiliation: { kind: "prefecture", id: "13", name: "" },
  };
  queries["search: surname in kanji, prefecture"] = listCasesQuery(
    database.db,
    prefecture,
    { sort: "-updatedAt", query: parseCaseQuery(sample.name_kanji.split(" ")[0]) },
    page,
  );
  const plans: Record<string, string[]> = {};
  for (const [name, query] of Object.entries(queries)) {
    const compiled = query.compile();
    const { rows } = await client.query<{ "QUERY PLAN": string }>(
      `explain (analyze, buffers, format text) ${compiled.sql}`,
      compiled.parameters as unknown[],
    );
    plans[name] = rows.map((r) => r["QUERY PLAN"]);
  }
  await database.close();
  return plans;
}

await main();
