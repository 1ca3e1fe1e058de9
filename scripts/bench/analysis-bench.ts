// `npm run bench -- analysis`: how well the canary judge (lib/analysis) catches each simulated
// fault, how fast, and how often it stops a healthy release. Every run is a whole canary plan on a
// fake clock (support/simulate-canary-plan.ts): no HTTP, no database, no waiting. Prints its own
// table of detection figures against the goals, and returns one speed row per scenario.
import { execFile } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { z } from "zod";
import type { BenchResult } from "../bench";
import { ANALYSIS_SCENARIOS, runAnalysisSeeds, type AnalysisScenario, type SeedRun } from "./support/run-analysis-seeds";

const MINUTE_MS = 60_000;

const benchEnvSchema = z.object({
  /** Seeded canaries per scenario; the issue asks for at least 100. */
  ROLLBOOK_ANALYSIS_BENCH_SEEDS: z.coerce.number().int().min(1).max(10_000).default(100),
  /** What-if for the engine's look timing: no look before this many minutes after the canary's restart (unset: as the engine does). */
  ROLLBOOK_ANALYSIS_BENCH_FIRST_LOOK_MIN: z.coerce.number().min(0).max(120).optional(),
  /** Processes the seeds are split over (default: one per core, at most 4); 1 runs in-process. */
  ROLLBOOK_ANALYSIS_BENCH_PARTS: z.coerce.number().int().min(1).max(16).optional(),
});

const runSeedsSchema = z.array(
  z.object({
    scenario: z.string(),
    seed: z.number(),
    detectedAfterMin: z.number().nullable(),
    cause: z.string().nullable(),
    wallMs: z.number(),
  }),
);

const DETECTION_GOAL = 0.95;
const FALSE_ALARM_GOAL = 0.02;

export type ScenarioFigures = {
  scenario: string;
  runs: number;
  /** Runs that paused or rolled back. */
  stopped: number;
  medianMin: number | null;
  p90Min: number | null;
  /** What stopped the runs: "<phase>: <deciding reason kind>" → count. */
  causes: Record<string, number>;
  goals: { name: string; met: boolean }[];
  wallMs: number;
  runWallMs: number[];
};

function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = sorted[Math.floor(position)]!;
  const above = sorted[Math.ceil(position)]!;
  return below + (above - below) * (position - Math.floor(position));
}

function figuresFor(scenario: AnalysisScenario, all: readonly SeedRun[]): ScenarioFigures {
  const runs = all.filter((run) => run.scenario === scenario.name);
  const seeds = runs.length;
  const minutes: number[] = [];
  const causes: Record<string, number> = {};
  for (const run of runs) {
    if (run.detectedAfterMin === null) continue;
    minutes.push(run.detectedAfterMin);
    const key = run.cause ?? "unknown";
    causes[key] = (causes[key] ?? 0) + 1;
  }
  const stopped = minutes.length;
  const medianMin = quantile(minutes, 0.5);
  const goals =
    scenario.fault === null
      ? [{ name: `false alarms ≤ ${FALSE_ALARM_GOAL * 100} %`, met: stopped / seeds <= FALSE_ALARM_GOAL }]
      : [
          { name: `detected ≥ ${DETECTION_GOAL * 100} %`, met: stopped / seeds >= DETECTION_GOAL },
          ...(scenario.goalMinutes === undefined
            ? []
            : [{ name: `median ≤ ${scenario.goalMinutes} min`, met: medianMin !== null && medianMin <= scenario.goalMinutes }]),
        ];
  const runWallMs = runs.map((run) => run.wallMs);
  return {
    scenario: scenario.name,
    runs: seeds,
    stopped,
    medianMin,
    p90Min: quantile(minutes, 0.9),
    causes,
    goals,
    wallMs: runWallMs.reduce((sum, ms) => sum + ms, 0),
    runWallMs,
  };
}

/** The seeds split into `parts` contiguous ranges, each run by a child process of this one (same loader flags). */
async function runInParts(seeds: number, parts: number, firstLookMin: number | undefined): Promise<SeedRun[]> {
  const script = path.join(import.meta.dirname, "support", "analysis-bench-part.ts");
  const size = Math.ceil(seeds / parts);
  const ranges = Array.from({ length: parts }, (_, index) => [index * size + 1, Math.min(seeds, (index + 1) * size)] as const).filter(
    ([from, to]) => from <= to,
  );
  const outputs = await Promise.all(
    ranges.map(([from, to]) =>
      promisify(execFile)(
        process.execPath,
        [...process.execArgv, script, String(from), String(to), ...(firstLookMin === undefined ? [] : [String(firstLookMin)])],
        {
          maxBuffer: 64 * 1024 * 1024,
        },
      ),
    ),
  );
  return outputs.flatMap((output) => runSeedsSchema.parse(JSON.parse(output.stdout)));
}

function formatMinutes(value: number | null): string {
  return value === null ? "—" : value.toFixed(1);
}

function printFigures(figures: ScenarioFigures[], wallMs: number): void {
  const rows = figures.map((f) => ({
    scenario: f.scenario,
    runs: String(f.runs),
    "stopped (detected / false alarm)": `${f.stopped} (${((100 * f.stopped) / f.runs).toFixed(1)} %)`,
    "median min": formatMinutes(f.medianMin),
    "p90 min": formatMinutes(f.p90Min),
    goals: f.goals.map((goal) => `${goal.name}: ${goal.met ? "met" : "NOT met"}`).join("; "),
    "caught by": Object.entries(f.causes)
      .sort((a, b) => b[1] - a[1])
      .map(([key, count]) => `${key} ×${count}`)
      .join("; "),
  }));
  const columns = Object.keys(rows[0]!) as (keyof (typeof rows)[number])[];
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join("  ");
  console.log(line(columns));
  console.log(line(widths.map((width) => "-".repeat(width))));
  for (const row of rows) console.log(line(columns.map((column) => row[column])));
  console.log(
    `analysis bench: ${figures.reduce((sum, f) => sum + f.runs, 0)} simulated plans in ${(wallMs / 1000).toFixed(1)} s wall time\n`,
  );
}

export async function runAnalysisBench(): Promise<BenchResult[]> {
  const env = benchEnvSchema.parse(process.env);
  const seeds = env.ROLLBOOK_ANALYSIS_BENCH_SEEDS;
  const parts = Math.min(seeds, env.ROLLBOOK_ANALYSIS_BENCH_PARTS ?? Math.min(4, os.availableParallelism()));
  const firstLookMin = env.ROLLBOOK_ANALYSIS_BENCH_FIRST_LOOK_MIN;
  if (firstLookMin !== undefined) console.error(`  analysis: what-if, no look before ${firstLookMin} min after the canary's restart`);
  console.error(`  analysis: ${ANALYSIS_SCENARIOS.length} scenarios × ${seeds} seeds in ${parts} process${parts === 1 ? "" : "es"}…`);
  const started = performance.now();
  const runs =
    parts === 1
      ? await runAnalysisSeeds(
          Array.from({ length: seeds }, (_, index) => index + 1),
          firstLookMin === undefined ? undefined : firstLookMin * MINUTE_MS,
        )
      : await runInParts(seeds, parts, firstLookMin);
  const figures = ANALYSIS_SCENARIOS.map((scenario) => figuresFor(scenario, runs));
  printFigures(figures, performance.now() - started);
  // The speed of the simulation itself, in bench.ts's shape: plans per second of run time, per-plan p95.
  return figures.map((f) => ({
    name: `analysis: ${f.scenario}, ${f.runs} plans`,
    baseline: `analysis: healthy, ${f.runs} plans`,
    requestsPerSec: (f.runs * 1000) / f.wallMs,
    p95Ms: quantile(f.runWallMs, 0.95) ?? 0,
    samples: f.runs,
    errors: f.goals.filter((goal) => !goal.met).length,
    wallMs: f.wallMs,
  }));
}
