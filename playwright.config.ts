import { defineConfig, devices } from "@playwright/test";
import { E2E_COLLECT_INTERVAL_MS, E2E_TIME_SCALE } from "./e2e/support/e2e-fleet-clock";

// The dashboard under test runs on its own port against the rollbook_e2e database that
// scripts/test.sh prepares; e2e/global-setup.ts refuses anything that is not a local test DB.
const PORT = Number(process.env.E2E_PORT ?? 3100);
const BASE_URL = `http://127.0.0.1:${PORT}`;
const DATABASE_URL = process.env.E2E_DATABASE_URL ?? process.env.DATABASE_URL ?? "";
const NEXTAUTH_SECRET = "e2e-only-secret-not-for-production-0123456789";
// The global setup (this process) seals the fleet's agent secrets that the server then opens.
const ROLLBOOK_SECRET_KEY = "e2e-only-agent-secrets-key-0123456789";
process.env.ROLLBOOK_SECRET_KEY = ROLLBOOK_SECRET_KEY;

export default defineConfig({
  testDir: "./e2e",
  outputDir: "./test-results/e2e",
  fullyParallel: false,
  // Two cores: one browser at a time keeps the server responsive and the timings honest.
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"], ["json", { outputFile: "test-results/playwright.json" }]] : "list",
  globalSetup: "./e2e/global-setup.ts",
  use: {
    baseURL: BASE_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/ },
    { name: "chromium", use: { ...devices["Desktop Chrome"] }, dependencies: ["setup"] },
  ],
  webServer: {
    command: `npx next build && npx next start -p ${PORT} -H 127.0.0.1`,
    url: `${BASE_URL}/login`,
    timeout: 240_000,
    // scripts/test.sh reserved E2E_PORT for this run: whatever answers there is not ours to reuse.
    reuseExistingServer: !process.env.CI && !process.env.E2E_PORT_RESERVED,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      DATABASE_URL,
      NEXTAUTH_SECRET,
      NEXTAUTH_URL: BASE_URL,
      ROLLBOOK_SECRET_KEY,
      NEXT_TELEMETRY_DISABLED: "1",
      // Re-check guardrails twice a second so a leaking canary trips within a test's patience.
      ROLLBOOK_GUARDRAIL_WATCH_MS: "500",
      // Poll the fleet every second so the canary judge has its 12 samples ~13 s after a restart.
      ROLLBOOK_COLLECT_INTERVAL_MS: String(E2E_COLLECT_INTERVAL_MS),
      // The judge reads the fleet's compressed clock (the simulator's --time-scale in global-setup.ts).
      ROLLBOOK_ANALYSIS_TIME_SCALE: String(E2E_TIME_SCALE),
    },
  },
});
