// The figures table of each benchmark, read from its results/<name>.json: what RESULTS.md shows.
// Benchmarks write their raw measurements; which of them answer a target, and against which
// same-run baseline, is decided here in one place (older result files get a table too).

/**
 * One line of the table: a measure, its target, the value and the baseline measured in the same
 * run, and their ratio, which is what survives a noisy machine.
 */
export type Figure = {
  measure: string;
  target: string | null;
  value: string;
  baseline: string | null;
  ratio: number | null;
  met: boolean | null;
};

type Stat = { p50: number; p95: number; p99: number; max: number; ratePerSecond?: number };
// Result files are JSON written by earlier runs: read defensively, a missing part skips its row.
// biome-ignore lint/suspicious/noExplicitAny: the shapes are the benchmarks' own, per file
type Json = any;

const ms = (n: number) => `${Math.round(n * 10) / 10} ms`;
const perSecond = (n: number) => `${Math.round(n).toLocaleString("en")}/s`;
const ratio = (value: number, baseline: number) =>
  baseline > 0 ? Math.round((value / baseline) * 100) / 100 : null;

/** A latency percentile against the same percentile of a baseline, with a target in ms. */
function latency(
  measure: string,
  s: Stat | undefined,
  base: [string, Stat | undefined],
  p: "p95" | "p99",
  targetMs: number | null,
): Figure[] {
  if (!s) return [];
  const [name, b] = base;
  return [
    {
      measure: `${measure}, ${p}`,
      target: targetMs === null ? null : `< ${targetMs.toLocaleString("en")} ms`,
      value: ms(s[p]),
      baseline: b ? `${name} ${p} ${ms(b[p])}` : null,
      ratio: b ? ratio(s[p], b[p]) : null,
      met: targetMs === null ? null : s[p] < targetMs,
    },
  ];
}

const byBenchmark: Record<string, (r: Json) => Figure[]> = {
  // Each way's worse turn, against the raw INSERT of the same rows at the same rate; and what a
  // row's ids take in each form.
  audit: (r) => {
    type Tail = Stat & { p999: number };
    const raw: Tail | undefined = r.rawInsert;
    const worst = (turns: Tail[] | undefined): Tail | undefined =>
      turns?.length
        ? {
            p50: Math.max(...turns.map((t) => t.p50)),
            p95: Math.max(...turns.map((t) => t.p95)),
            p99: Math.max(...turns.map((t) => t.p99)),
            p999: Math.max(...turns.map((t) => t.p999)),
            max: Math.max(...turns.map((t) => t.max)),
          }
        : undefined;
    const rate = r.parameters?.rate ?? 400;
    // Result files before the three ways called them merged (now) and inline (before).
    const ways = [
      ["uuid[], merged every 5 s off the request (now)", worst(r.now ?? r.merged)],
      ["JSON ids, merged inside the insert (before migration 1000)", worst(r.before ?? r.inline)],
    ] as const;
    const storage = r.storage?.jsonBytes
      ? [
          {
            measure: "A 100-id list read's ids, stored (uuid[] against JSON text)",
            target: null,
            value: `${r.storage.uuidBytes.toLocaleString("en")} bytes`,
            baseline: `JSON ${r.storage.jsonBytes.toLocaleString("en")} bytes`,
            ratio: ratio(r.storage.uuidBytes, r.storage.jsonBytes),
            met: null,
          },
        ]
      : [];
    return [
      ...ways.flatMap(([way, s]) => [
        ...latency(`List read's access-log row at ${rate}/s, ${way}`, s, ["raw INSERT", raw], "p99", null),
        ...(s?.p999 !== undefined && raw?.p999 !== undefined
          ? [
              {
                measure: `List read's access-log row at ${rate}/s, ${way}, p99.9`,
                target: null,
                value: ms(s.p999),
                baseline: `raw INSERT p99.9 ${ms(raw.p999)}`,
                ratio: ratio(s.p999, raw.p999),
                met: null,
              },
            ]
          : []),
      ]),
      ...storage,
    ];
  },

  cases: (r) =>
    Object.entries((r.results ?? {}) as Record<string, Stat & { targetP95: number }>).flatMap(([name, s]) =>
      latency(`患者一覧 ${name}`, s, ["/healthz", r.baselines?.healthz], "p95", s.targetP95),
    ),

  clusters: (r) => [
    // Baseline: reading the same activities into Node, which any pass must at least do (a count(*)
    // of freshly vacuumed rows is an index-only scan, too fast to compare with).
    ...(r.suggestionFullPass
      ? (["p50", "max"] as const).map((at) => ({
          measure: `Full suggestion pass over ${(r.data?.activities ?? 0).toLocaleString("en")} activities, ${at === "p50" ? "p50" : "slowest (the first, writing every suggestion)"}`,
          target: "< 2,000 ms",
          value: ms(r.suggestionFullPass[at]),
          baseline: `reading them into Node ${ms(r.baselineRawReadMs)}`,
          ratio: ratio(r.suggestionFullPass[at], r.baselineRawReadMs),
          met: r.suggestionFullPass[at] < 2000,
        }))
      : []),
    ...latency(
      "Incremental pass after one new activity",
      r.suggestionIncremental,
      ["", undefined],
      "p95",
      100,
    ),
    ...latency("接触者一覧 first page", r.contactsFirstPage, ["/healthz", r.healthzBaseline], "p95", 50),
  ],

  graph: (r) => {
    const small = r.baselineSmallCluster?.after?.total;
    return [
      ...latency(
        `Cluster page with a ${r.nodes ?? 500}-node graph drawn`,
        r.clusterPage,
        ["5-case cluster page", small],
        "p95",
        1000,
      ),
      ...(r.clusterPage && small
        ? [
            {
              measure: `Cluster page with a ${r.nodes ?? 500}-node graph drawn, p50`,
              target: "< 1,000 ms",
              value: ms(r.clusterPage.p50),
              baseline: `5-case cluster page p50 ${ms(small.p50)}`,
              ratio: ratio(r.clusterPage.p50, small.p50),
              met: r.clusterPage.p50 < 1000,
            },
          ]
        : []),
    ];
  },

  health: (r) => {
    const p = r.postgres ?? {};
    const t = r.targets ?? {};
    const rows: Figure[] = [];
    // At 16 senders, and (since 2026-12-06) with enough senders to keep the machine busy; the
    // bare route is measured at the same count.
    const http: [Json, Json, string][] = [
      [p.ingest, p.bareRoute, `${r.settings?.concurrency ?? 16} senders`],
      [p.ingestSaturated, p.bareRouteSaturated, `${p.ingestSaturated?.senders} senders`],
    ];
    for (const [ingest, bare, senders] of http)
      if (ingest && bare)
        rows.push({
          measure: `Report ingest over HTTP (PostgreSQL), ${senders}`,
          target: "≥ 0.5 of the bare route",
          value: perSecond(ingest.ratePerSecond),
          baseline: `bare route ${perSecond(bare.ratePerSecond)} (in ${bare.slices?.length} turns, alternating with ingest)`,
          ratio: ratio(ingest.ratePerSecond, bare.ratePerSecond),
          met: ingest.ratePerSecond >= bare.ratePerSecond / 2,
        });
    // Since 2026-12-06: the most the cores allow over HTTP (the service's CPU per report plus
    // the bare route's), so the ratio above can be read against what is possible here.
    if (p.httpIngestCeiling && p.bareRouteSaturated)
      rows.push({
        measure: "Report ingest over HTTP the CPU allows at most (service + bare route per report)",
        target: null,
        value: perSecond(p.httpIngestCeiling.perSecond),
        baseline: `bare route ${perSecond(p.bareRouteSaturated.ratePerSecond)}`,
        ratio: p.httpIngestCeiling.ratioToBareRoute,
        met: null,
      });
    if (p.ingestService && p.rawInsert)
      rows.push({
        measure: "Report ingest service (PostgreSQL)",
        target: "≥ 0.5 of raw INSERT",
        value: perSecond(p.ingestService.ratePerSecond),
        baseline: `raw INSERT ${perSecond(p.rawInsert.ratePerSecond)}`,
        ratio: ratio(p.ingestService.ratePerSecond, p.rawInsert.ratePerSecond),
        met: t.serviceIngestAtLeastHalfRawInsert ?? null,
      });
    rows.push(
      ...latency("Report at 800/s", p.fixedRate800?.latencyMs, ["bare route", p.bareRoute], "p99", 100),
    );
    if (p.fixedRate800?.alertOnStreamMs)
      rows.push({
        measure: "Urgent report to the 健康状態一覧 stream at 800/s, p95",
        target: "< 1,000 ms",
        value: ms(p.fixedRate800.alertOnStreamMs.p95),
        baseline: null,
        ratio: null,
        met: t.alertOnStreamP95Under1s ?? null,
      });
    if (p.kill9)
      rows.push({
        measure: "kill -9 during ingest: acknowledged reports lost",
        target: "0",
        value: `${p.kill9.lost} of ${p.kill9.acknowledged}`,
        baseline: null,
        ratio: null,
        met: p.kill9.lost === 0,
      });
    const pgliteHttp: [Json, string][] = [
      [r.pglite?.http?.ingest, `${r.settings?.concurrency ?? 16} senders`],
      [r.pglite?.http?.ingestSaturated, `${r.pglite?.http?.ingestSaturated?.senders} senders`],
    ];
    for (const [ingest, senders] of pgliteHttp)
      if (ingest)
        rows.push({
          measure: `Report ingest on PGlite over HTTP (stored reports), ${senders}`,
          target: "≥ 1,000/s",
          value: perSecond(ingest.ratePerSecond),
          baseline: null,
          ratio: null,
          met: ingest.ratePerSecond >= 1000,
        });
    if (r.pglite?.inProcess)
      rows.push({
        measure: "Report ingest on PGlite (in process)",
        target: "≥ 1,000/s",
        value: perSecond(r.pglite.inProcess.ratePerSecond),
        baseline: null,
        ratio: null,
        met: r.pglite.inProcess.ratePerSecond >= 1000,
      });
    return rows;
  },

  coordination: (r) => {
    const res = r.results ?? {};
    const base: [string, Stat | undefined] = ["/healthz", r.baselines?.healthz];
    const waiting = (r.board?.waiting ?? 0).toLocaleString("en");
    return [
      ...latency(
        `入院調整 board, first page (100 of ${waiting} waiting)`,
        res.boardFirstPage,
        base,
        "p95",
        50,
      ),
      ...latency("入院調整 board, tenth page (by its cursor)", res.boardTenthPage, base, "p95", 50),
      ...latency("入院調整 board of one health center", res.boardHealthCenter, base, "p95", 50),
      ...latency("Facilities beside the board for one patient", res.facilitiesForPatient, base, "p95", 50),
    ];
  },

  mixed: (r) => {
    const bare = r.baselines?.bareRoute;
    const raw = r.baselines?.rawInsert;
    const peak = r.oneProcess?.peakRate;
    const full = r.oneProcess?.fullSpeed;
    const nationalRate = Object.values((r.nationalPeakPerSecond ?? {}) as Record<string, number>).reduce(
      (a, b) => a + b,
      0,
    );
    const rows: Figure[] = [];
    if (full && bare)
      rows.push({
        measure: "Peak-morning mix at full speed, 1 process (2xx/s)",
        target: `≥ ${perSecond(nationalRate)} (Japan's 2022 peak hour)`,
        value: perSecond(full.okPerSecond),
        baseline: `bare route ${perSecond(bare.ratePerSecond)}`,
        ratio: ratio(full.okPerSecond, bare.ratePerSecond),
        met: full.okPerSecond >= nationalRate,
      });
    const at = peak
      ? `at ${perSecond(peak.targetRate)}${peak.belowNationalPeak ? ` (0.8 of full speed; the national peak is ${perSecond(peak.nationalRate)})` : " (national peak)"}`
      : "";
    const e = peak?.perEndpoint ?? {};
    rows.push(
      ...latency(`Mix ${at}: self-report`, e.report, ["raw INSERT", raw], "p99", 100),
      ...latency(`Mix ${at}: 健康状態一覧 (100 rows)`, e.healthStatus, ["bare route", bare], "p95", 50),
      ...latency(`Mix ${at}: 患者一覧 (50 rows)`, e.caseList, ["bare route", bare], "p95", 50),
      ...latency(`Mix ${at}: 発生届 submit`, e.notification, ["raw INSERT", raw], "p99", 100),
      ...latency(`Mix ${at}: login`, e.login, ["bare route", bare], "p95", null),
    );
    if (full)
      rows.push({
        measure: "Server CPU per request of the mix, 1 process",
        target: null,
        value: ms(full.cpuMsPerRequest),
        baseline: bare ? `a bare route request's whole round trip p50 ${ms(bare.p50)}` : null,
        ratio: bare ? ratio(full.cpuMsPerRequest, bare.p50) : null,
        met: null,
      });
    const names: Record<string, string> = {
      report: "self-report",
      healthStatus: "健康状態一覧",
      caseList: "患者一覧",
      notification: "発生届 submit",
      login: "login",
    };
    for (const [kind, c] of Object.entries((r.perEndpointCpu ?? {}) as Record<string, Json>))
      rows.push({
        measure: `CPU of one ${names[kind] ?? kind} alone: PostgreSQL + server`,
        target: null,
        value: `${ms(c.databaseCpuMs)} + ${ms(c.serverCpuMs)}`,
        baseline: bare ? `a bare route request's whole round trip p50 ${ms(bare.p50)}` : null,
        ratio: bare ? ratio(c.databaseCpuMs + c.serverCpuMs, bare.p50) : null,
        met: null,
      });
    const s = r.streams;
    if (s)
      rows.push({
        measure: `Server RSS with ${s.open.toLocaleString("en")} open event streams`,
        target: null,
        value: `${s.rssMiBWith} MiB (${s.kibPerStream} KiB a stream)`,
        baseline: `without them ${s.rssMiBBefore} MiB`,
        ratio: ratio(s.rssMiBWith, s.rssMiBBefore),
        met: null,
      });
    const one = r.scaling?.["1"];
    for (const [n, x] of Object.entries((r.scaling ?? {}) as Record<string, Json>))
      rows.push({
        measure: `Mix at full speed, ${n} process${n === "1" ? "" : "es"} on one database (load ${x.loadAverage?.[0] ?? "?"})`,
        target: null,
        value: perSecond(x.okPerSecond),
        baseline: one ? `1 process ${perSecond(one.okPerSecond)}` : null,
        ratio: one ? ratio(x.okPerSecond, one.okPerSecond) : null,
        met: null,
      });
    return rows;
  },

  notifications: (r) => {
    const { rawInsert, bareRoute } = r.baselines ?? {};
    const rows: Figure[] = [];
    if (r.submit?.fullSpeed && bareRoute)
      rows.push({
        measure: "発生届 submit at full speed",
        target: null,
        value: perSecond(r.submit.fullSpeed.ratePerSecond),
        baseline: `bare route ${perSecond(bareRoute.ratePerSecond)}; raw INSERT ${perSecond(rawInsert?.ratePerSecond ?? 0)}`,
        ratio: ratio(r.submit.fullSpeed.ratePerSecond, bareRoute.ratePerSecond),
        met: null,
      });
    rows.push(
      ...latency("発生届 submit at 200/s", r.submit?.fixedRate, ["bare route", bareRoute], "p99", 100),
    );
    const csv = r.csv ?? {};
    if (csv.upload && rawInsert) {
      const insertMs = (csv.rows / rawInsert.ratePerSecond) * 1000;
      rows.push({
        measure: `CSV upload of ${csv.rows.toLocaleString("en")} rows`,
        target: "< 5,000 ms",
        value: ms(csv.upload.ms),
        baseline: `raw INSERT of as many rows ${ms(insertMs)}`,
        ratio: ratio(csv.upload.ms, insertMs),
        met: csv.meetsTarget ?? null,
      });
    }
    const blocking = csv.previewBlocking;
    if (blocking) {
      const stall = blocking.pingDuringPreview.max - blocking.pingIdle.p50;
      rows.push({
        measure: `Longest /healthz stall during a ${blocking.rows.toLocaleString("en")}-row CSV preview`,
        target: "< 50 ms",
        value: ms(stall),
        baseline: `idle /healthz max ${ms(blocking.pingIdle.max)}`,
        ratio: ratio(blocking.pingDuringPreview.max, blocking.pingIdle.max),
        met: stall < 50,
      });
    }
    return rows;
  },

  opendata: (r) => {
    const ttfb = r.timeToFirstByteMs ?? {};
    const rss = r.serverRssMiB;
    return [
      ...latency(
        `Open-data CSV first byte, ${(r.cases ?? 0).toLocaleString("en")} cases`,
        ttfb.csv,
        ["bare route", ttfb.bareRoute],
        "p95",
        1000,
      ),
      ...(r.wholeDownload
        ? [
            {
              measure: `Whole open-data CSV (${r.wholeDownload.megabytes} MB)`,
              target: null,
              value: ms(r.wholeDownload.seconds * 1000),
              baseline: `a plain scan of the rows ${ms(r.wholeDownload.plainScanBaseline.ms)}`,
              ratio: r.wholeDownload.ratioToPlainScan,
              met: null,
            },
          ]
        : []),
      ...(rss
        ? [
            {
              measure: "Server memory during a second whole download",
              target: "flat",
              value: `${rss.secondDownloadMax} MiB`,
              baseline: `first download ${rss.firstDownloadMax} MiB`,
              ratio: ratio(rss.secondDownloadMax, rss.firstDownloadMax),
              met: rss.secondDownloadMax <= rss.firstDownloadMax * 1.1,
            },
          ]
        : []),
    ];
  },

  ops: (r) => {
    const g = r.loginGateOn;
    if (!g) return [];
    return [
      ...latency(
        "Patient report during a login surge",
        g.reportsDuringLoginSurge,
        ["reports alone", g.reportsAlone],
        "p99",
        null,
      ),
      ...(g.loginSurge?.busy503
        ? latency(
            "Login refused beyond capacity (503)",
            g.loginSurge.busyLatency,
            ["successful login", g.loginSurge.okLatency],
            "p95",
            1000,
          )
        : []),
    ];
  },

  stats: (r) => {
    const healthz: [string, Stat] = ["/healthz", r.healthzBaseline];
    const rows: Figure[] = [
      ...statsQueries.flatMap(([key, measure]) => [
        // Runs before the reply cache measured one kind of request: label them as such.
        ...latency(r[`${key}Cold`] ? `${measure}, warm (kept reply)` : measure, r[key], healthz, "p95", 50),
        ...latency(
          `${measure}, cold (recomputed; first request ${r[`${key}Cold`] ? ms(r[`${key}Cold`].first) : "—"})`,
          r[`${key}Cold`],
          healthz,
          "p95",
          50,
        ),
      ]),
      ...latency("Aggregate follows a new case", r.aggregateFollowsNewCase, ["", undefined], "p95", 1000),
    ];
    const write = r.caseWriteWithAggregates;
    const without = r.caseWriteWithoutTriggersBaseline;
    if (write && without)
      rows.push({
        measure: "Case write with the aggregate triggers, p50",
        target: "≤ 2 × without them",
        value: ms(write.p50),
        baseline: `the same write without them ${ms(without.p50)}`,
        ratio: ratio(write.p50, without.p50),
        met: write.p50 <= 2 * without.p50,
      });
    return rows;
  },
};

const statsQueries = [
  ["nationalOneYear", "National series, one year"],
  ["nationalThreeYearsOnePrefecture", "One prefecture, three years"],
  ["dashboardAgeSex90Days", "Age × sex dashboard, 90 days"],
  ["dashboardHealthCenters90Days", "Health-center dashboard, 90 days"],
  ["lineListFirstPage", "De-identified line list, first page"],
] as const;

export const figuresOf = (result: { name: string }): Figure[] => byBenchmark[result.name]?.(result) ?? [];
