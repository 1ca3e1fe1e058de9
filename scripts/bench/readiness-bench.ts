// Readiness at fleet scale, each figure against a baseline measured in the same run:
// 1. one collector round (the real collectFleetOnce: readiness + metrics per node, bulk writes)
//    over 1,000 agents that each answer after 50 ms, against the same round with one node;
// 2. the fleet list as the page and /api/nodes get it (listFleetStatus) with 1,000 polled nodes
//    and 30 minutes of samples each, against 10 such nodes;
// 3. a node's 7-day chart (nodeMetricSeries) over days of 15-second samples from 100 nodes,
//    against the same node's 1-hour chart.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { request } from "undici";
import { planFleetLayout } from "@/lib/agent/fleet/plan-fleet-layout";
import { startFleet } from "@/lib/agent/fleet/start-fleet";
import type { MetricRange } from "@/lib/fleet/metric-range";
import { agentConnections, createAgentClient } from "@/lib/protocol";
import { sealAgentSecret } from "@/lib/security/agent-secrets";
import { db } from "@/lib/server/db";
import { collectFleetOnce, DEFAULT_POLL_CONCURRENCY } from "@/lib/server/fleet/collect-fleet";
import { listFleetStatus } from "@/lib/server/fleet/list-fleet-status";
import { nodeMetricSeries } from "@/lib/server/fleet/node-metric-series";
import type { SessionUser } from "@/lib/server/users";
import { agentSecret, createUser } from "@/prisma/factories";
import { assertDisposableDatabase, truncateAllTables } from "@/prisma/test/test-db";
import type { BenchResult } from "../bench";
import { startDelayedAgents } from "./support/start-delayed-agents";

const FLEET_SIZE = 1_000;
const AGENT_DELAY_MS = 50;
/** The collector's own default per-request budget. */
const POLL_TIMEOUT_MS = 3_000;
/** The collector's default, and every node at once (a round is bound by CPU, not by waiting). */
const POLL_CONCURRENCIES = [DEFAULT_POLL_CONCURRENCY, 1_000];
/**
 * Measured rounds per setting, after two warm-up rounds: the first opens the keep-alive
 * connections and writes the first readiness snapshots, the second lets the JIT settle.
 */
const POLL_WARMUP_ROUNDS = 2;
const POLL_ROUNDS = 5;

const LIST_BASELINE_NODES = 10;
const LIST_RUNS = 20;
/** The fleet page's sparklines cover 30 minutes: 120 samples at the collector's 15 s interval. */
const SPARK_SAMPLES = 120;
const SAMPLE_SECONDS = 15;

// 100 nodes × 30 days of 15-second samples: 17.3 M rows. Inserting them one index entry at a time
// would take minutes on two cores, so the seed drops the chart index, inserts, builds the index in
// one sorted pass and vacuums (as autovacuum would have by then), the way a bulk load is done.
const CHART_NODES = 100;
const CHART_DAYS = 30;
const CHART_RUNS = 20;

type Timings = { sorted: number[]; totalMs: number; errors: number };

/** p-th percentile of sorted samples (nearest rank). */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** `warmup` untimed calls, then `runs` timed ones, one after another. */
async function timeRuns(warmup: number, runs: number, call: (run: number) => Promise<number>): Promise<Timings> {
  for (let run = 0; run < warmup; run++) await call(run);
  const latencies: number[] = [];
  let errors = 0;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    errors += await call(run);
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  return { sorted: latencies, totalMs: latencies.reduce((sum, ms) => sum + ms, 0), errors };
}

/**
 * `perRun` is how many units (node polls, calls) one run stands for. wallMs is the median run:
 * for the collector that is the time of one whole round.
 */
function toResult(name: string, baseline: string, timings: Timings, perRun: number, withWall: boolean): BenchResult {
  return {
    name,
    baseline,
    requestsPerSec: (timings.sorted.length * perRun * 1000) / timings.totalMs,
    p95Ms: percentile(timings.sorted, 95),
    samples: timings.sorted.length * perRun,
    errors: timings.errors,
    ...(withWall ? { wallMs: percentile(timings.sorted, 50) } : {}),
  };
}

/** One real sim agent's readiness document and metrics, to be served by the delayed agents. */
async function captureAgentReplies(): Promise<{ readiness: string; metrics: string }> {
  const stateDir = await mkdtemp(path.join(os.tmpdir(), "rollbook-readiness-bench-"));
  const fleet = await startFleet({ count: 1, stateDir });
  try {
    const member = fleet.nodes[0]!;
    const client = createAgentClient({ url: member.url, secret: member.secret, timeoutMs: 10_000 });
    // readiness() has already checked the schema and that ready_probe_sha256 matches its parts.
    return { readiness: JSON.stringify(await client.readiness()), metrics: await client.metrics() };
  } finally {
    await fleet.close();
    await rm(stateDir, { recursive: true, force: true });
  }
}

/** Rounds of the real collector over whatever nodes are registered; counts failed polls as errors. */
async function timeCollectorRounds(concurrency: number, expectedNodes: number): Promise<Timings> {
  return timeRuns(POLL_WARMUP_ROUNDS, POLL_ROUNDS, async () => {
    const results = await collectFleetOnce({ concurrency, timeoutMs: POLL_TIMEOUT_MS });
    if (results.length !== expectedNodes) throw new Error(`collector polled ${results.length} nodes, expected ${expectedNodes}`);
    return results.filter((result) => result.error !== null || result.metrics === null).length;
  });
}

/** Only the HTTP exchanges of a round: the given GETs to every agent at once, bodies read and dropped. */
async function timeBareRounds(urls: string[], paths: readonly string[]): Promise<Timings> {
  const get = async (url: string): Promise<number> => {
    const reply = await request(url, { dispatcher: agentConnections });
    await reply.body.text();
    return reply.statusCode === 200 ? 0 : 1;
  };
  return timeRuns(POLL_WARMUP_ROUNDS, POLL_ROUNDS, async () => {
    const failed = await Promise.all(urls.flatMap((url) => paths.map((path) => get(`${url}${path}`))));
    return failed.reduce((sum, count) => sum + count, 0);
  });
}

/** SPARK_SAMPLES samples per node ending just before `now`, as the collector would have left them. */
async function seedSparkSamples(nodeIds: string[], now: Date): Promise<void> {
  await db.$executeRaw`
    INSERT INTO "MetricSample" ("nodeId", "at", "memoryBytes", "memoryLimitBytes", "queueDepth", "tasksProcessedTotal", "errorsTotal", "tokensSpentTotal", "p95Ms")
    SELECT n.id, (${now}::timestamptz - i * ${`${SAMPLE_SECONDS} seconds`}::interval) AT TIME ZONE 'UTC',
           1.2e9 + 3e8 * sin(i / 20.0 + n.k), 4294967296, round(30 + 25 * sin(i / 7.0 + n.k) + 10 * random()),
           100000 - i * 4, 100 - i / 60, 9e7 - i * 3600, 250 + 120 * sin(i / 11.0 + n.k)
    FROM unnest(${nodeIds}::text[]) WITH ORDINALITY AS n(id, k)
    CROSS JOIN generate_series(1, ${SPARK_SAMPLES}) AS i`;
}

/**
 * CHART_DAYS of 15-second samples for `nodeIds` in one statement. Rows go in time order, every
 * node within each instant, as the collector writes them, so a node's samples end up spread over
 * the table: the lateral reference to g.t keeps that order (a plain cross join may put the node
 * loop outside and store each node's history contiguously, which would flatter the query).
 */
async function seedChartSamples(nodeIds: string[], to: Date): Promise<number> {
  const from = new Date(to.getTime() - CHART_DAYS * 86_400_000);
  // Skipping the per-row foreign-key check (the ids come from "Node") needs a superuser, which the
  // local bench cluster's owner is; on another server the insert just takes longer.
  const [{ superuser } = { superuser: false }] = await db.$queryRaw<{ superuser: boolean }[]>`
    SELECT current_setting('is_superuser') = 'on' AS superuser`;
  const inserted = await db.$transaction(
    async (tx) => {
      if (superuser) await tx.$executeRaw`SET LOCAL session_replication_role = replica`;
      await tx.$executeRaw`DROP INDEX IF EXISTS "MetricSample_chart_idx"`;
      return tx.$executeRaw`
        INSERT INTO "MetricSample" ("nodeId", "at", "memoryBytes", "memoryLimitBytes", "queueDepth", "tasksProcessedTotal", "errorsTotal", "tokensSpentTotal", "p95Ms")
        SELECT n.id, g.t AT TIME ZONE 'UTC',
               -- memory: a daily wave per node, plus a sawtooth that grows for 3 days, then a restart
               1.1e9 + 2.5e8 * sin(g.epoch / 13751 + n.k) + 4e8 * mod(g.elapsed::int, 259200) / 259200,
               4294967296,
               -- queue: bursts every ~15 minutes plus noise
               greatest(0, round(20 + 60 * sin(g.epoch / 143 + n.k * 1.7) + 40 * random())),
               floor(g.elapsed / ${SAMPLE_SECONDS}) * (2 + mod(n.k::int, 5)),
               floor(g.elapsed / 3600),
               g.elapsed * 900,
               250 + 120 * sin(g.epoch / 3600 + n.k) + 80 * random()
        -- date_part gives double precision; extract() would give numeric, a third slower here.
        FROM (
          SELECT t, date_part('epoch', t) AS epoch, date_part('epoch', t - ${from}::timestamptz) AS elapsed
          FROM generate_series(${from}::timestamptz, ${to}::timestamptz, ${`${SAMPLE_SECONDS} seconds`}::interval) AS t
        ) AS g
        CROSS JOIN LATERAL (
          SELECT u.id, u.k::float8 AS k FROM unnest(${nodeIds}::text[]) WITH ORDINALITY AS u(id, k) WHERE g.t IS NOT NULL OFFSET 0
        ) AS n`;
    },
    { maxWait: 10_000, timeout: 15 * 60_000 },
  );
  await restoreChartIndex();
  await db.$executeRaw`VACUUM (ANALYZE) "MetricSample"`;
  return inserted;
}

/** The index exactly as the migration creates it (also run after a failed seed, so none goes missing). */
async function restoreChartIndex(): Promise<void> {
  await db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SET LOCAL maintenance_work_mem = '1GB'`;
      await tx.$executeRaw`
        CREATE INDEX IF NOT EXISTS "MetricSample_chart_idx"
        ON "MetricSample"("nodeId", "at", "memoryBytes", "memoryLimitBytes", "queueDepth", "p95Ms", "tasksProcessedTotal")`;
    },
    { timeout: 15 * 60_000 },
  );
}

export async function runReadinessBench(): Promise<BenchResult[]> {
  assertDisposableDatabase(process.env.DATABASE_URL);
  await truncateAllTables(db);
  const results: BenchResult[] = [];
  const replies = await captureAgentReplies();
  const agents = await startDelayedAgents({ count: FLEET_SIZE, delayMs: AGENT_DELAY_MS, ...replies });
  try {
    const user = await createUser(db, { role: "viewer" });
    const actor: SessionUser = { id: user.id, email: user.email, name: user.name, role: user.role };
    const layout = planFleetLayout(FLEET_SIZE);
    const registered: string[] = [];
    /** Registers layout[registered.length … count-1], each with its own agent. */
    const registerUpTo = async (count: number): Promise<void> => {
      const added = layout.slice(registered.length, count).map((planned, offset) => ({
        ...planned,
        agentUrl: agents.urls[registered.length + offset]!,
        agentSecret: sealAgentSecret(agentSecret()),
      }));
      await db.node.createMany({ data: added });
      const ids = (await db.node.findMany({ where: { name: { in: added.map((node) => node.name) } }, select: { id: true } })).map(
        (node) => node.id,
      );
      registered.push(...ids);
    };

    // 1, baseline: a round with exactly one node.
    await registerUpTo(1);
    const pollBaseline = `collect round, 1 node answering in ${AGENT_DELAY_MS} ms`;
    results.push(toResult(pollBaseline, pollBaseline, await timeCollectorRounds(64, 1), 1, true));

    // 2, baseline: the fleet list with 10 polled nodes.
    await registerUpTo(LIST_BASELINE_NODES);
    await collectFleetOnce({ timeoutMs: POLL_TIMEOUT_MS });
    await seedSparkSamples(registered, new Date());
    // As autovacuum would have by now: a fresh table's planner statistics are empty.
    await db.$executeRaw`ANALYZE`;
    const listBaseline = `listFleetStatus, ${LIST_BASELINE_NODES} nodes`;
    const listOnce = async () => ((await listFleetStatus({ actor, filter: {} })).length === registered.length ? 0 : 1);
    results.push(toResult(listBaseline, listBaseline, await timeRuns(2, LIST_RUNS, listOnce), 1, false));

    // 1: the whole fleet, at the default concurrency and above it.
    await registerUpTo(FLEET_SIZE);
    for (const concurrency of POLL_CONCURRENCIES) {
      const name = `collect round, ${FLEET_SIZE} nodes answering in ${AGENT_DELAY_MS} ms, c=${concurrency}${concurrency === DEFAULT_POLL_CONCURRENCY ? " (default)" : ""}`;
      results.push(toResult(name, pollBaseline, await timeCollectorRounds(concurrency, FLEET_SIZE), FLEET_SIZE, true));
    }
    // Reference: the same 2,000 requests on the same warm connections and nothing else (no
    // signature, validation, probe hash, metrics parsing or storage): what this machine's HTTP
    // stack alone costs, so the collector's own share of the ratio above can be read off.
    const bareName = `bare GET readiness + metrics, ${FLEET_SIZE} agents at once (HTTP only, reference)`;
    results.push(toResult(bareName, pollBaseline, await timeBareRounds(agents.urls, ["/v1/readiness", "/metrics"]), FLEET_SIZE, true));
    // And with one request per agent, as if readiness and metrics were one document.
    const bareOneName = `bare GET readiness only, ${FLEET_SIZE} agents at once (HTTP only, reference)`;
    results.push(toResult(bareOneName, pollBaseline, await timeBareRounds(agents.urls, ["/v1/readiness"]), FLEET_SIZE, true));

    // 2: the fleet list with every node polled just now (the rounds above) and 30 minutes of samples.
    await seedSparkSamples(registered.slice(LIST_BASELINE_NODES), new Date());
    await db.$executeRaw`ANALYZE`;
    results.push(toResult(`listFleetStatus, ${FLEET_SIZE} nodes`, listBaseline, await timeRuns(2, LIST_RUNS, listOnce), 1, false));
    await agents.close();

    // 3: one node's chart over a large sample table; each run asks for another node, as users would.
    await db.$executeRaw`TRUNCATE "MetricSample"`;
    const chartNodes = registered.slice(0, CHART_NODES);
    const chartNow = new Date();
    const inserted = await seedChartSamples(chartNodes, chartNow);
    const size = `${CHART_NODES} nodes × ${CHART_DAYS} d of ${SAMPLE_SECONDS} s samples (${(inserted / 1e6).toFixed(1)} M rows)`;
    const chartRuns = (range: MetricRange, minPoints: number) =>
      timeRuns(2, CHART_RUNS, async (run) => {
        const points = await nodeMetricSeries({ nodeId: chartNodes[(run * 37) % chartNodes.length]!, range, now: chartNow });
        return points.length >= minPoints ? 0 : 1;
      });
    const chartBaseline = `nodeMetricSeries 1h, ${size}`;
    // 1h: 240 samples in 15 s buckets; 7d: 40,320 samples in 15 min buckets (672).
    results.push(toResult(chartBaseline, chartBaseline, await chartRuns("1h", 240), 1, false));
    results.push(toResult(`nodeMetricSeries 7d, ${size}`, chartBaseline, await chartRuns("7d", 672), 1, false));
    return results;
  } finally {
    await agents.close();
    // Leave no gigabytes of samples behind in the bench database, and its schema as migrated.
    await truncateAllTables(db);
    await restoreChartIndex();
  }
}
