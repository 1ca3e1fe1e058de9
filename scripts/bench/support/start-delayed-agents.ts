// Many fake node agents for the readiness bench, in a child process of their own so the agents do
// not share the collector's event loop (in production they are other machines). Each agent is a
// loopback HTTP server on its own port: the agent client resolves "/v1/readiness" against the base
// URL, which drops any path prefix, so an agent needs its own origin, and a port per agent also
// gives every node its own connections, as in a real fleet.
import { fork, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { agentProtocolLimits } from "@/lib/protocol/agent-protocol-limits";

export type DelayedAgentsOptions = {
  count: number;
  /** How long each agent waits before it answers. */
  delayMs: number;
  /** Bytes served as GET /v1/readiness (a valid, probe-consistent readiness document). */
  readiness: string;
  /** Bytes served as GET /metrics (a Prometheus exposition). */
  metrics: string;
};

export type DelayedAgents = {
  urls: string[];
  close(): Promise<void>;
};

type Ready = { ports: number[] };

/** Forks this file as a child that serves `count` agents; resolves once every one is listening. */
export async function startDelayedAgents(options: DelayedAgentsOptions): Promise<DelayedAgents> {
  const child = fork(import.meta.filename, [], {
    // Not the parent's flags: the react-server condition is for the dashboard's services only.
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  try {
    const listening = new Promise<Ready>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`delayed agents exited with ${String(code)} before listening`));
      child.once("exit", onExit);
      child.once("message", (message) => {
        child.off("exit", onExit);
        resolve(message as Ready);
      });
    });
    child.send(options);
    const ready = await listening;
    return { urls: ready.ports.map((port) => `http://127.0.0.1:${port}`), close: () => stop(child) };
  } catch (error) {
    await stop(child);
    throw error;
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  await exited;
}

async function serve(options: DelayedAgentsOptions): Promise<number[]> {
  const handler: http.RequestListener = (request, response) => {
    const body = request.url === "/v1/readiness" ? options.readiness : request.url === "/metrics" ? options.metrics : null;
    setTimeout(() => {
      if (body === null) {
        response.writeHead(404, { "content-type": "application/json" }).end('{"error":{"code":"not_found","message":"not found"}}');
        return;
      }
      const type = body === options.readiness ? "application/json" : "text/plain; version=0.0.4; charset=utf-8";
      response.writeHead(200, { "content-type": type, "content-length": Buffer.byteLength(body) }).end(body);
    }, options.delayMs);
  };
  const ports: number[] = [];
  for (let i = 0; i < options.count; i++) {
    const server = http.createServer(handler);
    // As a real agent does: idle connections outlive the collector's interval, so a steady-state
    // round reuses them (the first, warm-up round pays for the handshakes).
    server.keepAliveTimeout = agentProtocolLimits.keepAliveTimeoutMs;
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    ports.push((server.address() as AddressInfo).port);
  }
  return ports;
}

if (process.argv[1] === import.meta.filename && process.send) {
  process.once("message", (options: DelayedAgentsOptions) => {
    serve(options).then(
      (ports) => process.send?.({ ports } satisfies Ready),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
  // The parent is gone (or done): nothing left to serve.
  process.once("disconnect", () => process.exit(0));
}
