import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = {
  "@": path.resolve(import.meta.dirname),
  // Outside Next's server bundle, "server-only" throws on import; tests exercise server code directly.
  "server-only": path.resolve(import.meta.dirname, "prisma/test/server-only-stub.ts"),
};

// Two projects: pure logic runs anywhere; `db` needs the real Postgres that scripts/test.sh starts.
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          // Run before the db project, not beside it: the engine tests drive real agents and a job
          // worker with timeouts, and on two cores they must not share the CPU with 500 unit tests.
          sequence: { groupOrder: 0 },
          include: ["lib/**/*.test.ts", "components/**/*.test.ts", "scripts/**/*.test.ts"],
          exclude: ["**/*.db.test.ts", "**/*.real.test.ts", "node_modules/**"],
          environment: "node",
          testTimeout: 20_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "db",
          sequence: { groupOrder: 1 },
          include: ["**/*.db.test.ts"],
          exclude: ["node_modules/**"],
          environment: "node",
          setupFiles: ["prisma/test/setup-db.ts"],
          fileParallelism: false,
          testTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        test: {
          // Real third-party software (a real OpenClaw from npm, which scripts/test.sh installs):
          // minutes of CPU per file, so it runs last and alone rather than beside the fast tests.
          name: "real",
          sequence: { groupOrder: 2 },
          include: ["**/*.real.test.ts"],
          exclude: ["node_modules/**"],
          environment: "node",
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
