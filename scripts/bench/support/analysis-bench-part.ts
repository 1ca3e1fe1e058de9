// A part of the analysis bench in its own process: `analysis-bench-part.ts <first seed> <last seed>
// [first look minute]`, prints the runs as one JSON line. Spawned by analysis-bench.ts.
import { z } from "zod";
import { runAnalysisSeeds } from "./run-analysis-seeds";

const argsSchema = z.tuple([z.coerce.number().int().min(1), z.coerce.number().int().min(1)]).rest(z.coerce.number().min(0));

const [first, last, firstLookMin] = argsSchema.parse(process.argv.slice(2));
const seeds = Array.from({ length: Math.max(0, last - first + 1) }, (_, index) => first + index);
const runs = await runAnalysisSeeds(seeds, firstLookMin === undefined ? undefined : firstLookMin * 60_000);
process.stdout.write(`${JSON.stringify(runs)}\n`);
