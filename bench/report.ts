import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Figure, resultsDir } from "./lib.ts";

// `npm run bench` ends here: bench/RESULTS.md, one table per benchmark from the figures each
// wrote to results/<name>.json, so the README links current numbers rather than copied ones.

type Result = {
  name: string;
  measuredAt: string;
  machine?: { cpus?: number; loadAverageAtEnd?: number[] };
  figures?: Figure[];
};

const cell = (s: string | null) => (s ?? "—").replaceAll("|", "\\|");
const verdict = (met: boolean | null) => (met === null ? "—" : met ? "met" : "**not met**");

function section(r: Result): string {
  const load = r.machine?.loadAverageAtEnd?.[0];
  const header = [
    `## ${r.name}`,
    "",
    `Measured ${r.measuredAt.slice(0, 16).replace("T", " ")} UTC` +
      (load === undefined ? "" : `, load average ${load} on ${r.machine?.cpus ?? "?"} cores`) +
      `. Raw figures: [results/${r.name}.json](results/${r.name}.json).`,
    "",
  ];
  if (!r.figures?.length) return [...header, "No figures summarised by this benchmark yet.", ""].join("\n");
  return [
    ...header,
    "| Measure | Target | Value | Same-run baseline | Ratio | Target |",
    "| --- | --- | --- | --- | --- | --- |",
    ...r.figures.map(
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
  return path;
}

if (import.meta.main) console.log(`written ${writeReport()}`);
