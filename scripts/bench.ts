// `npm run bench` — runs every scripts/bench/*-bench.ts module (each exports `run<Name>Bench()`),
// prints one table, and writes bench-results/latest.json. `npm run bench -- readiness` runs only
// the modules whose file name contains one of the given words. Every result is shown as a ratio
// against a baseline measured in the same run, so numbers from different machines compare.
import { mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

export type BenchResult = {
  /** e.g. "GET /v1/readiness c=8" */
  name: string;
  /** `name` of the result this one is compared with, from the same module and run (itself for a baseline). */
  baseline: string;
  requestsPerSec: number;
  p95Ms: number;
  samples: number;
  errors: number;
  /** Wall-clock time of one whole operation (e.g. a 100-node restore), when that is the figure. */
  wallMs?: number;
};

type BenchModule = Record<string, unknown>;

const BENCH_DIR = path.join(import.meta.dirname, "bench");

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const files = (await readdir(BENCH_DIR))
    .filter((file) => file.endsWith("-bench.ts") && (only.length === 0 || only.some((word) => file.includes(word))))
    .sort();
  const all: Array<BenchResult & { module: string }> = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(BENCH_DIR, file)).href)) as BenchModule;
    for (const [exportName, run] of Object.entries(mod)) {
      if (!/^run\w*Bench$/.test(exportName) || typeof run !== "function") continue;
      console.error(`running ${file} ${exportName}…`);
      const results = await (run as () => Promise<BenchResult[]>)();
      all.push(...results.map((result) => ({ ...result, module: file })));
    }
  }

  const rows = all.map((result) => {
    const base = all.find((r) => r.module === result.module && r.name === result.baseline);
    return {
      module: result.module,
      name: result.name,
      "req/s": result.requestsPerSec.toFixed(0),
      "p95 ms": result.p95Ms.toFixed(2),
      "req/s vs baseline": base ? `${(result.requestsPerSec / base.requestsPerSec).toFixed(2)}x` : "n/a",
      "p95 vs baseline": base ? `${(result.p95Ms / base.p95Ms).toFixed(2)}x` : "n/a",
      "wall ms": result.wallMs === undefined ? "" : result.wallMs.toFixed(0),
      "wall vs baseline": base?.wallMs && result.wallMs !== undefined ? `${(result.wallMs / base.wallMs).toFixed(2)}x` : "",
      baseline: result.baseline === result.name ? "(baseline)" : result.baseline,
      errors: String(result.errors),
    };
  });
  printTable(rows);

  const out = path.join(process.cwd(), "bench-results");
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, "latest.json"), `${JSON.stringify({ at: new Date().toISOString(), results: all }, null, 2)}\n`);
}

function printTable(rows: Array<Record<string, string>>): void {
  if (rows.length === 0) {
    console.log("no bench results");
    return;
  }
  const columns = Object.keys(rows[0]!);
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join("  ");
  console.log(line(columns));
  console.log(line(widths.map((width) => "-".repeat(width))));
  for (const row of rows) console.log(line(columns.map((column) => row[column]!)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
