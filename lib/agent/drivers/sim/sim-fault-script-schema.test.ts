import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { simFaultScriptSchema } from "./sim-fault-script-schema";

const DEMO = readFileSync(path.resolve(import.meta.dirname, "../../../../scripts/demo-faults.yaml"), "utf8");

describe("simFaultScriptSchema", () => {
  it("reads the demo's script: one leaky release, nothing else switched on", () => {
    expect(simFaultScriptSchema.parse(parse(DEMO))).toEqual({
      faults: { "2026.11.4": { memoryLeak: { fromBytes: 2e9, toBytes: 8e9, overMs: 4 * 3600 * 1000 } } },
      nodes: {},
    });
  });

  it("reads the regressions the demo script documents in its comments, with their defaults", () => {
    const commented = DEMO.split("\n")
      .filter((line) => line.startsWith("#   "))
      .map((line) => line.slice(1))
      .join("\n");
    expect(simFaultScriptSchema.parse({ faults: parse(commented) as unknown }).faults).toEqual({
      "2026.11.5": {
        latencyRegression: { factor: 1.3 },
        errorRateRise: { percentagePoints: 3 },
        tokenSpendRise: { factor: 1.25 },
        evalDrop: { score: 0.85, failKinds: [] },
      },
    });
    expect(simFaultScriptSchema.parse({ faults: { "2026.11.5": { latencyRegression: {}, evalDrop: {} } } }).faults["2026.11.5"]).toEqual({
      latencyRegression: { factor: 1.3 },
      evalDrop: { score: 0.85, failKinds: [] },
    });
  });

  it("refuses misspelt or out-of-range regressions", () => {
    expect(simFaultScriptSchema.safeParse({ faults: { "2026.11.5": { latencyRegression: { factr: 1.3 } } } }).success).toBe(false);
    expect(simFaultScriptSchema.safeParse({ faults: { "2026.11.5": { evalDrop: { score: 1.5 } } } }).success).toBe(false);
    expect(simFaultScriptSchema.safeParse({ faults: { "2026.11.5": { evalDrop: { failKinds: ["vibes"] } } } }).success).toBe(false);
  });
});
