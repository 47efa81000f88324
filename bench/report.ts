import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { figuresOf } from "./figures.ts";
import { resultsDir } from "./lib.ts";

// `npm run bench` ends here: bench/RESULTS.md, one table per benchmark from its
// results/<name>.json (figures.ts), so the README links current numbers rather than copied ones.

type Result = {
  name: string;
  measuredAt: string;
  machine?: { cpus?: number; loadAverageAtEnd?: number[] };
  loadAverage?: { start?: number[]; end?: number[]; after?: number[] };
  loadAverageAtStart?: number[];
};

const cell = (s: string | null) => (s ?? "—").replaceAll("|", "\\|");
const verdict = (met: boolean | null) => (met === null ? "—" : met ? "met" : "**not met**");

function section(r: Result): string {
  // Where each benchmark kept it: the 1-minute load average when the run ended (or began).
  const load = (r.machine?.loadAverageAtEnd ??
    r.loadAverage?.end ??
    r.loadAverage?.after ??
    r.loadAverageAtStart)?.[0];
  const figures = figuresOf(r);
  const header = [
    `## ${r.name}`,
    "",
    `Measured ${r.measuredAt.slice(0, 16).replace("T", " ")} UTC` +
      (load === undefined
        ? ""
        : `, load average ${Math.round(load * 10) / 10} on ${r.machine?.cpus ?? "?"} cores`) +
      `. Raw figures: [results/${r.name}.json](results/${r.name}.json).`,
    "",
  ];
  if (figures.length === 0) return [...header, "No figures summarised from this file.", ""].join("\n");
  return [
    ...header,
    "| Measure | Target | Value | Same-run baseline | Ratio | Met |",
    "| --- | --- | --- | --- | --- | --- |",
    ...figures.map(
      (f) =>
        `| ${cell(f.measure)} | ${cell(f.target)} | ${cell(f.value)} | ${cell(f.baseline)} | ${f.ratio ?? "—"} | ${verdict(f.met)} |`,
    ),
    "",
  ].join("\n");
}

export function writeReport(): string {
  const results = readdirSync(resultsDir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(resultsDir, f), "utf8")) as Result);
  const text = [
    "# Benchmark results",
    "",
    "Written by `npm run bench` from `bench/results/*.json`. These machines are shared and noisy:",
    "read the ratio to the baseline measured in the same run before the absolute value, and the",
    "load average before either. See README.md in this folder for what each benchmark does.",
    "",
    ...results.map(section),
  ].join("\n");
  const path = join(import.meta.dirname, "RESULTS.md");
  writeFileSync(path, text);
  // Aligned as the repository's formatter keeps Markdown, so a rerun diffs by figures only.
  spawnSync(join(import.meta.dirname, "../node_modules/.bin/biome"), ["format", "--write", path]);
  return path;
}

if (import.meta.main) console.log(`written ${writeReport()}`);
