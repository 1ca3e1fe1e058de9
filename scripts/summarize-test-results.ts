// Adds up the vitest and Playwright JSON reports into one closing line: "N passed, N failed, N skipped".
import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";

const vitestReport = z.object({
  numPassedTests: z.number(),
  numFailedTests: z.number(),
  numPendingTests: z.number(),
  numTodoTests: z.number(),
});
const playwrightReport = z.object({
  stats: z.object({ expected: z.number(), unexpected: z.number(), flaky: z.number(), skipped: z.number() }),
});

function readJson(path: string | undefined): unknown {
  return path && existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : null;
}

const [vitestPath, playwrightPath] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;

const vitest = vitestReport.safeParse(readJson(vitestPath));
if (vitest.success) {
  passed += vitest.data.numPassedTests;
  failed += vitest.data.numFailedTests;
  skipped += vitest.data.numPendingTests + vitest.data.numTodoTests;
  console.log(`vitest: ${vitest.data.numPassedTests} passed, ${vitest.data.numFailedTests} failed`);
} else {
  console.log("vitest: no report");
}

const playwright = playwrightReport.safeParse(readJson(playwrightPath));
if (playwright.success) {
  const { expected, unexpected, flaky, skipped: playwrightSkipped } = playwright.data.stats;
  passed += expected + flaky;
  failed += unexpected;
  skipped += playwrightSkipped;
  console.log(`playwright (chromium): ${expected + flaky} passed, ${unexpected} failed`);
} else {
  console.log("playwright: no report");
}

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
