import { describe, expect, it } from "vitest";
import { simFaultMapSchema } from "./sim-faults-schema";
import type { SimState } from "./sim-state-schema";
import { simTelemetry } from "./sim-telemetry";

const HOUR = 3600_000;
const T0 = Date.UTC(2026, 10, 23, 12);

function state(overrides: Partial<SimState> = {}): SimState {
  return {
    version: 1,
    seed: 7,
    installed: { core: "2026.12.0", plugins: {} },
    lockfile: null,
    configText: "{}",
    lb: { weight: 100, drained: false },
    service: { up: true, since: T0 },
    tasks: { processed: 0, errors: 0, tokens: 0, extraErrors: 0, since: T0, latency: [] },
    faults: {},
    capabilities: { checks: null, checksAt: null },
    ...overrides,
  };
}

const options = { timeScale: 1, memoryLimitBytes: 16e9 };
const leaking = simFaultMapSchema.parse({ "2026.12.0": { memoryLeak: {} } });

describe("simTelemetry", () => {
  it("is a pure function of state and time", () => {
    expect(simTelemetry(state(), T0 + 12_345, options)).toEqual(simTelemetry(state(), T0 + 12_345, options));
  });

  it("keeps memory flat around 2 GB without a leak", () => {
    for (const at of [0, HOUR, 4 * HOUR]) {
      const memory = simTelemetry(state(), T0 + at, options).memoryBytes;
      expect(memory).toBeGreaterThan(1.5e9);
      expect(memory).toBeLessThan(2.3e9);
    }
  });

  it("leaks 2 GB -> 8 GB over 4 h of uptime, and a restart starts over", () => {
    const s = state({ faults: leaking });
    const at = (ms: number) => simTelemetry(s, T0 + ms, options).memoryBytes;
    expect(at(0)).toBeLessThan(2.3e9);
    expect(at(2 * HOUR)).toBeGreaterThan(4.7e9);
    expect(at(2 * HOUR)).toBeLessThan(5.3e9);
    expect(at(4 * HOUR)).toBeGreaterThan(7.7e9);
    expect(at(6 * HOUR)).toBeLessThan(8.3e9);
    const restarted = { ...s, service: { up: true, since: T0 + 4 * HOUR } };
    expect(simTelemetry(restarted, T0 + 4 * HOUR + 1000, options).memoryBytes).toBeLessThan(2.3e9);
  });

  it("compresses the leak with timeScale", () => {
    const s = state({ faults: leaking });
    const scaled = simTelemetry(s, T0 + 60_000, { ...options, timeScale: 240 }).memoryBytes; // 1 min = 4 h
    expect(scaled).toBeGreaterThan(7.7e9);
  });

  it("counts tasks monotonically and stops while drained or down", () => {
    const s = state();
    const a = simTelemetry(s, T0 + 10_000, options).tasks.processedTotal;
    const b = simTelemetry(s, T0 + 20_000, options).tasks.processedTotal;
    expect(b).toBeGreaterThan(a);
    const drained = state({ lb: { weight: 100, drained: true } });
    expect(simTelemetry(drained, T0 + 20_000, options).tasks.processedTotal).toBe(0);
    expect(simTelemetry(drained, T0 + 20_000, options).queue.depth).toBe(0);
    const down = state({ service: { up: false, since: T0 } });
    const queue = simTelemetry(down, T0 + 60_000, options).queue;
    expect(queue.depth).toBeGreaterThan(0);
    expect(queue.oldestAgeMs).toBe(60_000);
    expect(simTelemetry(down, T0 + 60_000, options).memoryBytes).toBe(0);
  });
});
