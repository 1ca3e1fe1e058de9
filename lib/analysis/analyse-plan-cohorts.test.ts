import { describe, expect, it } from "vitest";
import { resolveAnalysisConfig } from "./analysis-config-schema";
import { REFERENCE_MIN_SPAN_MS, analysePlanCohorts, type CohortSample } from "./analyse-plan-cohorts";

const GIB = 1024 ** 3;
const LIMIT = 10 * GIB;
const START = Date.parse("2026-12-01T10:00:00Z");
const STEP_MS = 15_000;

/** A healthy node's scrapes: flat memory at its own level, steady traffic, one sample per 15 s. */
function scrapes(options: { fromMs: number; toMs: number; memoryBytes: number; tasksPerScrape?: number }): CohortSample[] {
  const rows: CohortSample[] = [];
  const tasks = options.tasksPerScrape ?? 30;
  for (let at = options.fromMs, i = 0; at <= options.toMs; at += STEP_MS, i += 1) {
    rows.push({
      at: new Date(at),
      memoryBytes: options.memoryBytes + (i % 3) * 0.001 * GIB,
      memoryLimitBytes: LIMIT,
      queueDepth: 2,
      p95Ms: 500,
      tasksProcessedTotal: 1000 + i * tasks,
      errorsTotal: 0,
      tokensSpentTotal: 1e6 + i * tasks * 800,
      evalScore: null,
    });
  }
  return rows;
}

const NOW = START + 20 * 60_000;

/** A before-widen look at one canary restarted at START, memory flat at `canaryBytes`, 20 minutes later. */
function lookAtCanary(canaryBytes: number, rest: Pick<Parameters<typeof analysePlanCohorts>[0], "baseline" | "reference">) {
  return analysePlanCohorts({
    phase: "before_widen",
    now: new Date(NOW),
    config: resolveAnalysisConfig({}),
    horizonMs: 0,
    canary: [
      {
        nodeId: "canary",
        restartedAt: new Date(START),
        widenedAt: null,
        samples: scrapes({ fromMs: START, toMs: NOW, memoryBytes: canaryBytes }),
      },
    ],
    timeScale: 1,
    ...rest,
  });
}

/**
 * The canary runs 20 % hotter than the baseline host, as it always did: a host difference, not a
 * regression. The plan starts at START; the canary restarted at once and was watched 20 minutes.
 */
function look(historyMs: number, options: { newBaselineNode?: boolean } = {}) {
  const now = NOW;
  const canaryLevel = 2.4 * GIB;
  const baselineLevel = 2.0 * GIB;
  const reference = [
    { nodeId: "canary", samples: scrapes({ fromMs: START - historyMs, toMs: START - 1, memoryBytes: canaryLevel }) },
    { nodeId: "old-host", samples: scrapes({ fromMs: START - historyMs, toMs: START - 1, memoryBytes: baselineLevel }) },
    ...(options.newBaselineNode ? [{ nodeId: "new-host", samples: [] }] : []),
  ];
  return lookAtCanary(canaryLevel, {
    baseline: [
      { nodeId: "old-host", samples: scrapes({ fromMs: START - historyMs, toMs: now, memoryBytes: baselineLevel }) },
      ...(options.newBaselineNode ? [{ nodeId: "new-host", samples: scrapes({ fromMs: START, toMs: now, memoryBytes: 1.5 * GIB }) }] : []),
    ],
    reference: { endedAt: new Date(START), samples: reference },
  });
}

const memory = (result: ReturnType<typeof look>) => result.metrics.find((metric) => metric.key === "memoryPercent")!;

describe("analysePlanCohorts: each node against its own history", () => {
  it("reads a canary that runs hotter than its peers as it always did as a pass, given enough history", () => {
    const result = look(30 * 60_000);
    expect(result.comparisonBasis).toMatch(/^each node adjusted to its own history/);
    expect(memory(result).verdict).toBe("pass");
  });

  it("refuses to compare hosts, and says why, when the history before the plan is shorter than a GC cycle", () => {
    const result = look(REFERENCE_MIN_SPAN_MS / 3 + STEP_MS);
    expect(result.comparisonBasis).toBe("as measured");
    // As measured, the host difference (+20 %) would fail memory's allowed +10 %: the reason a
    // short history is not compared at all. Limits and trends still judge the canary alone.
    expect(memory(result)).toMatchObject({
      verdict: "inconclusive",
      reasons: [
        "memory: not judged, the canary has 3 min of history before the plan started, and comparing it with other hosts needs 9 min of each one's own history",
      ],
    });
    expect(result.limits.find((limit) => limit.key === "memoryPercent")?.status).toBe("ok");
    expect(result.decision).toBe("inconclusive");
  });

  it("leaves a baseline node without history out of the adjusted comparison instead of comparing it raw", () => {
    const result = look(30 * 60_000, { newBaselineNode: true });
    expect(result.comparisonBasis).toMatch(/; 1 baseline node with less than 9 min of history left out$/);
    // The old host's 30-minute window, 121 scrapes, and none of the new host's 81.
    expect(memory(result).baseline.n).toBe(121);
    expect(memory(result).verdict).toBe("pass");
  });
});

describe("analysePlanCohorts: a fresh baseline", () => {
  it("counts the baseline's samples from its restart (plus warm-up), so its pre-restart uptime does not flatter the canary", () => {
    const now = NOW;
    // The old release grows with uptime: 3 GiB before the restart, back to 2 GiB after it. The
    // canary, restarted at the same moment, runs at 2.6 GiB: 30 % above a baseline just as new.
    const baselineSamples = [
      ...scrapes({ fromMs: START - 30 * 60_000, toMs: START - 1, memoryBytes: 3 * GIB }),
      ...scrapes({ fromMs: START, toMs: now, memoryBytes: 2 * GIB }),
    ];
    const input = (restartedAt?: Date) =>
      lookAtCanary(2.6 * GIB, {
        baseline: [{ nodeId: "fresh", samples: baselineSamples, ...(restartedAt ? { restartedAt } : {}) }],
        reference: null,
      });

    const asStable = memory(input());
    const asFresh = memory(input(new Date(START)));
    // 19 minutes after the warm-up, one scrape per 15 s.
    expect(asFresh.baseline.n).toBe(77);
    expect(asFresh.verdict).toBe("critical");
    expect(input(new Date(START)).comparisonBasis).toBe("the baseline is a fresh baseline, restarted with the canary");
    // Read over the whole window, the same baseline's older, fatter minutes hide part of the change.
    expect(asStable.baseline.n).toBeGreaterThan(asFresh.baseline.n);
    expect(asStable.effect!).toBeLessThan(asFresh.effect!);
  });
});
