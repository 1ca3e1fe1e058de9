import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Webhook } from "standardwebhooks";
import { agentProtocolLimits, agentSecretSchema } from "@/lib/protocol";
import type { AgentDriver } from "./drivers/agent-driver";
import { createReplayCache } from "./http/create-replay-cache";
import { createRequestHandler } from "./http/create-request-handler";
import { createAgentMetrics } from "./metrics/create-agent-metrics";
import { createOperationRunner } from "./operations/create-operation-runner";
import { createOperationStore } from "./operations/create-operation-store";
import { runAction } from "./operations/run-action";
import type { ActiveOperation } from "./reports/build-readiness-report";
import { createAgentReports } from "./reports/create-agent-reports";
import { acquireStateDirLock } from "./state/acquire-state-dir-lock";
import { openReplayJournal, type ReplayJournal, type ReplayJournalState } from "./state/open-replay-journal";

export type StartAgentOptions = {
  name: string;
  /** Per-node shared secret (whsec_...). */
  secret: string;
  /**
   * Builds the driver once the state dir is locked (drivers keep their own state there, and
   * must not load it while another agent may be writing). Closed with the agent.
   */
  createDriver: () => Promise<AgentDriver>;
  /** Operations and the driver's state live here; one agent per dir. */
  stateDir: string;
  /** Loopback by default: exposing the agent is a deliberate choice. */
  host?: string;
  /** 0 picks a free port (tests, fleets). */
  port?: number;
  /** Replay-cache capacity; the default holds ~330 requests/s sustained over the window. */
  maxReplayEntries?: number;
};

export type RunningAgent = {
  name: string;
  url: string;
  host: string;
  port: number;
  driver: AgentDriver;
  /** What the replay journal held at start; `lost` means signed requests are refused for a while. */
  replayJournal: { state: ReplayJournalState; refuseSignedBeforeMs: number | null };
  /**
   * Stops listening and aborts running operations without recording their end, exactly as a
   * crash would; the next start on the same state dir marks them failed (agent_restarted).
   */
  close(): Promise<void>;
};

/** Starts one node agent: HTTP API, auth, operations, reports and metrics over a driver. */
export async function startAgent(options: StartAgentOptions): Promise<RunningAgent> {
  const secret = agentSecretSchema.parse(options.secret);
  const host = options.host ?? "127.0.0.1";
  const lock = await acquireStateDirLock(options.stateDir);
  let created: AgentDriver | undefined;
  let journal: ReplayJournal | undefined;
  try {
    const driver = await options.createDriver();
    created = driver;
    // Replay protection has to outlive the process (a signature stays valid for the tolerance
    // either side of the clock, a restart takes seconds), so every webhook-id the agent answers
    // is journaled to disk first, and the cache is rebuilt from the journal here. Why a journal
    // rather than refusing everything signed before start, and how a lost journal fails closed:
    // see state/open-replay-journal.ts and docs/agent.md ("Replay and idempotency").
    const toleranceMs = agentProtocolLimits.signatureToleranceSec * 1000;
    const ttlMs = 2 * toleranceMs;
    const maxEntries = options.maxReplayEntries ?? 200_000;
    const replayCache = createReplayCache({ ttlMs, maxEntries });
    // Checked before the store creates it: an operations dir means an agent ran here before.
    const hadEarlierAgent = await stat(path.join(options.stateDir, "operations")).then(
      () => true,
      () => false,
    );
    const replayJournal = await openReplayJournal({
      file: path.join(options.stateDir, "replay-journal.jsonl"),
      hadEarlierAgent,
      toleranceMs,
      maxEntries,
      live: () => replayCache.live(),
    });
    journal = replayJournal;
    if (replayJournal.state.kind === "lost") {
      console.error(
        `[agent] replay journal lost: ${replayJournal.state.reason}${replayJournal.state.keptAs ? ` (kept as ${replayJournal.state.keptAs})` : ""}; ` +
          `refusing signed requests dated before ${new Date(replayJournal.refuseSignedBeforeMs!).toISOString()} (replay_state_lost)`,
      );
    } else if (replayJournal.refuseSignedBeforeMs !== null) {
      console.error(
        `[agent] replay journal was lost at an earlier start; still refusing signed requests dated before ${new Date(replayJournal.refuseSignedBeforeMs).toISOString()} (replay_state_lost)`,
      );
    }
    if (replayJournal.state.kind === "restored" && replayJournal.state.tornTail) {
      console.warn("[agent] replay journal ended in a torn write (a crash mid-append); that entry was never answered and is ignored");
    }
    const store = await createOperationStore({ stateDir: options.stateDir });
    // Ids of actions accepted just before a restart stay spent (and idempotent) after it, even
    // when they came from an agent version without a journal.
    const origins = store
      .originsSince(Date.now() - ttlMs)
      .map((origin) => ({ id: origin.webhookId, fingerprint: origin.fingerprint, expiresAt: origin.receivedAt + ttlMs }));
    replayCache.restore([...replayJournal.restored, ...origins].sort((a, b) => a.expiresAt - b.expiresAt));

    let activeOperation: () => ActiveOperation | null = () => null;
    const reports = createAgentReports({ name: options.name, driver: driver, activeOperation: () => activeOperation() });
    const runner = createOperationRunner({
      store,
      execute: (operation, ctx) => runAction(operation, { driver: driver, reports }, ctx),
    });
    activeOperation = runner.activeMutating;

    const handler = createRequestHandler({
      webhook: new Webhook(secret),
      replayCache,
      replayJournal,
      reports,
      runner,
      store,
      // "The last 5 minutes" of latency means 5 minutes of the gateway's clock.
      metrics: createAgentMetrics(driver, { recentWindowMs: (5 * 60_000) / (driver.timeScale ?? 1) }),
    });
    const server = createServer((req, res) => void handler(req, res));
    // Slow or stalled clients must not pin sockets forever.
    server.headersTimeout = 10_000;
    server.requestTimeout = 30_000;
    server.keepAliveTimeout = agentProtocolLimits.keepAliveTimeoutMs;
    server.on("clientError", (_error, socket) => {
      if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n");
      else socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? agentProtocolLimits.defaultPort, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    const urlHost = host.includes(":") ? `[${host}]` : host;

    let closing: Promise<void> | null = null;
    return {
      name: options.name,
      url: `http://${urlHost}:${port}`,
      host,
      port,
      driver: driver,
      replayJournal: { state: replayJournal.state, refuseSignedBeforeMs: replayJournal.refuseSignedBeforeMs },
      close() {
        closing ??= (async () => {
          const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
          server.closeAllConnections();
          await runner.close();
          await driver.close();
          await stopped;
          await replayJournal.close();
          await lock.release();
        })();
        return closing;
      },
    };
  } catch (error) {
    await created?.close();
    await journal?.close();
    await lock.release();
    throw error;
  }
}
