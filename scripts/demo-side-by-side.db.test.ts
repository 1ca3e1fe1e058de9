import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, lstatSync, realpathSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fleetFileSchema, type FleetFile } from "@/lib/protocol";
import { DEMO_USERS } from "@/prisma/demo-users";

/**
 * The README's promise that `npm run demo` works "also when another checkout on the same machine is
 * running it": two copies of this checkout run the real demo at the same time, with no PORT and no
 * DATABASE_URL, while something else holds the default dashboard port (3000) and the first fleet
 * port (9101). Each demo must start its own PostgreSQL, fleet and dashboard on free ports, print
 * them, seed its dashboard with its own fleet's real URLs, and leave nothing listening after Ctrl+C.
 *
 * A `*.db.test.ts` so that it runs in the db project, alone and after the unit tests: two
 * `next build`s take the whole machine for a minute or two.
 */

const ROOT = path.resolve(import.meta.dirname, "..");
const STARTUP_LIMIT_MS = 12 * 60_000;

type Demo = {
  name: string;
  dir: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
};

/** Holds a port if it is free; if someone else holds it, it is taken just the same. */
async function occupy(port: number): Promise<Server | undefined> {
  const server = createServer((socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => (error.code === "EADDRINUSE" ? resolve(undefined) : reject(error)));
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

async function canListen(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

/**
 * A second checkout of what is on disk here (committed or not, as `git clone` plus the working
 * tree's edits), with this checkout's installed npm packages and generated Prisma client.
 */
async function copyCheckout(dest: string): Promise<void> {
  const files = run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], ROOT)
    .split("\0")
    // node_modules comes below, as a copy; never through a symlink into this checkout's packages.
    .filter((file) => file && file !== "node_modules" && !file.startsWith("node_modules/") && existsSync(path.join(ROOT, file)));
  const list = `${dest}.files`;
  await writeFile(list, [...files, "lib/generated"].join("\0"));
  run(
    "bash",
    ["-c", `set -o pipefail; mkdir -p "$2" && tar -C "$1" --null -T "$3" -cf - | tar -C "$2" -xf -`, "_", ROOT, dest, list],
    ROOT,
  );
  // Hard links: a copy in seconds, and Turbopack refuses a node_modules symlinked out of the project.
  const modules = realpathSync(path.join(ROOT, "node_modules"));
  const destModules = path.join(dest, "node_modules");
  if (lstatSync(destModules, { throwIfNoEntry: false })) throw new Error(`${destModules} exists already`);
  const linked = spawnSync("cp", ["-al", modules, destModules]);
  if (linked.status !== 0) {
    await rm(destModules, { recursive: true, force: true });
    run("cp", ["-a", modules, destModules], ROOT);
  }
  // These packages were installed from this very lockfile (the suite runs on them); only the file
  // times can disagree (a worktree checked out after the install), and then the demo would
  // reinstall everything.
  const installed = await stat(path.join(dest, "node_modules", ".package-lock.json"));
  const lockfile = path.join(dest, "package-lock.json");
  if ((await stat(lockfile)).mtimeMs > installed.mtimeMs) {
    const before = new Date(installed.mtimeMs - 1000);
    await utimes(lockfile, before, before);
  }
}

/** The environment of a fresh terminal: nothing the suite set (databases, ports, secrets, NODE_ENV). */
function freshEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(DATABASE_URL|TEST_DATABASE_URL|E2E_DATABASE_URL|E2E_PORT|PORT|NODE_ENV|NEXTAUTH_.*|ROLLBOOK_.*|VITEST.*|npm_.*)$/.test(key))
      delete env[key];
  }
  return env;
}

function startDemo(name: string, dir: string): Demo {
  // Its own process group, like a terminal's foreground job: Ctrl+C reaches every process in it.
  const child = spawn("npm", ["run", "demo"], { cwd: dir, env: freshEnv(), detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const log = createWriteStream(`${dir}.log`);
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    log.write(chunk);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { name, dir, child, output: () => output, exited };
}

const bannerSchema = z.object({ dashboardPort: z.coerce.number().int(), fleet: z.string(), database: z.string() });

async function waitForBanner(demo: Demo): Promise<z.infer<typeof bannerSchema>> {
  let running = true;
  void demo.exited.then(() => (running = false));
  const deadline = Date.now() + STARTUP_LIMIT_MS;
  while (!demo.output().includes("Press Ctrl+C to stop.")) {
    if (!running || Date.now() > deadline) {
      throw new Error(`demo ${demo.name} ${running ? "did not print its banner in time" : "exited"}:\n${demo.output().slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const output = demo.output();
  return bannerSchema.parse({
    dashboardPort: /Rollbook is running: {2}http:\/\/localhost:(\d+)/.exec(output)?.[1],
    fleet: /node agents on (\S+)/.exec(output)?.[1],
    database: /Database: (\S+)/.exec(output)?.[1],
  });
}

function portsOf(fleet: FleetFile): number[] {
  return fleet.nodes.map((node) => Number(new URL(node.url).port));
}

/** Signs in through next-auth's own endpoints, as the login form does; returns the session cookie and where it sent us. */
async function signIn(base: string): Promise<{ cookie: string; redirect: string }> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = z.object({ csrfToken: z.string() }).parse(await csrf.json());
  const admin = DEMO_USERS.find((user) => user.role === "admin")!;
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: csrf.headers
        .getSetCookie()
        .map((c) => c.split(";")[0])
        .join("; "),
    },
    body: new URLSearchParams({ csrfToken, email: admin.email, password: admin.password, callbackUrl: "/fleet", json: "true" }),
  });
  const session = response.headers.getSetCookie().find((c) => c.startsWith("next-auth.session-token="));
  if (!session) throw new Error(`sign-in on ${base} failed: ${response.status} ${await response.text()}`);
  const { url } = z.object({ url: z.string() }).parse(await response.json());
  return { cookie: session.split(";")[0]!, redirect: url };
}

const fleetStatusSchema = z.object({
  nodes: z.array(z.object({ name: z.string(), agentUrl: z.string(), readiness: z.object({ color: z.string(), label: z.string() }) })),
});

/** The dashboard's own view of its fleet, once its collector has polled every node. */
async function polledFleet(base: string, cookie: string): Promise<z.infer<typeof fleetStatusSchema>["nodes"]> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const response = await fetch(`${base}/api/nodes`, { headers: { cookie } });
    const { nodes } = fleetStatusSchema.parse(await response.json());
    if (nodes.length > 0 && nodes.every((node) => node.readiness.color !== "grey")) return nodes;
    if (Date.now() > deadline) return nodes;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stopDemo(demo: Demo): Promise<void> {
  const pid = demo.child.pid;
  if (pid === undefined || !groupAlive(pid)) return;
  process.kill(-pid, "SIGINT");
  const deadline = Date.now() + 30_000;
  while (groupAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
}

function stopLocalPostgres(dir: string): void {
  spawnSync("bash", ["-c", "source scripts/lib/common.sh && stop_local_postgres"], { cwd: dir, stdio: "ignore" });
}

describe("npm run demo, twice on one machine", () => {
  it(
    "runs two demos side by side on free ports, each dashboard on its own fleet, and leaves nothing listening",
    async () => {
      const started = Date.now();
      const blockers = (await Promise.all([occupy(3000), occupy(9101)])).filter((s): s is Server => s !== undefined);
      const root = await mkdtemp(path.join(os.tmpdir(), "rollbook-side-by-side-"));
      // The local PostgreSQL runs as the `postgres` user, which must reach its data dir in the copy.
      await chmod(root, 0o755);
      const dirs = ["a", "b"].map((name) => path.join(root, name));
      const demos: Demo[] = [];
      try {
        expect(await canListen(3000)).toBe(false);
        expect(await canListen(9101)).toBe(false);
        await Promise.all(dirs.map(copyCheckout));

        demos.push(...dirs.map((dir, i) => startDemo(["a", "b"][i]!, dir)));
        const banners = await Promise.all(demos.map(waitForBanner));
        console.log(`two demos up after ${Math.round((Date.now() - started) / 1000)} s:`, banners);

        const dashboardPorts = banners.map((banner) => banner.dashboardPort);
        expect(new Set(dashboardPorts).size).toBe(2);
        expect(dashboardPorts).not.toContain(3000);
        expect(new Set(banners.map((banner) => banner.database)).size).toBe(2);
        for (const demo of demos) expect(demo.output()).toContain("(3000 is taken on this machine; set PORT to choose)");

        const fleets = await Promise.all(
          dirs.map(async (dir) => fleetFileSchema.parse(JSON.parse(await readFile(path.join(dir, ".data/fleet/fleet.json"), "utf8")))),
        );
        const allFleetPorts = fleets.flatMap(portsOf);
        expect(new Set(allFleetPorts).size).toBe(allFleetPorts.length);
        expect(allFleetPorts).not.toContain(9101);
        for (const [i, fleet] of fleets.entries()) {
          const ports = portsOf(fleet);
          expect(banners[i]!.fleet).toBe(`127.0.0.1:${Math.min(...ports)}-${Math.max(...ports)}`);
          for (const node of fleet.nodes) expect((await fetch(`${node.url}/health`)).status).toBe(200);
        }

        for (const [i, port] of dashboardPorts.entries()) {
          const base = `http://127.0.0.1:${port}`;
          expect((await fetch(`${base}/login`)).status).toBe(200);
          // next-auth's redirects follow the port the dashboard got (NEXTAUTH_URL).
          const { cookie, redirect } = await signIn(base);
          expect(redirect).toBe(`http://localhost:${port}/fleet`);
          // Seeded with its own fleet's real URLs, and its collector reaches those agents.
          const nodes = await polledFleet(base, cookie);
          const expected = Object.fromEntries(fleets[i]!.nodes.map((node) => [node.name, node.url]));
          expect(Object.fromEntries(nodes.map((node) => [node.name, node.agentUrl]))).toEqual(expected);
          expect(nodes.filter((node) => node.readiness.color === "grey")).toEqual([]);
        }

        // Ctrl+C: every process of each demo ends, and their ports are free again.
        await Promise.all(demos.map(stopDemo));
        for (const demo of demos) expect(groupAlive(demo.child.pid!)).toBe(false);
        for (const port of [...dashboardPorts, ...allFleetPorts]) expect(await canListen(port)).toBe(true);
        // Their PostgreSQL servers outlive the demo by design; this is how a user stops them.
        dirs.forEach(stopLocalPostgres);
        for (const banner of banners) expect(await canListen(Number(banner.database.split(/[:/]/)[1]))).toBe(true);
        console.log(`side by side: ${Math.round((Date.now() - started) / 1000)} s in all`);
      } catch (error) {
        // The copies are removed below: keep what their logs said.
        for (const dir of dirs) {
          for (const log of ["build.log", "fleet.log", "app.log"]) {
            const text = await readFile(path.join(dir, ".data", log), "utf8").catch(() => "(none)");
            console.error(`--- ${path.basename(dir)}/.data/${log}:\n${text.slice(-3000)}`);
          }
        }
        throw error;
      } finally {
        for (const demo of demos) {
          await stopDemo(demo);
          // Only our own process groups, and only if Ctrl+C did not end them.
          if (demo.child.pid !== undefined && groupAlive(demo.child.pid)) process.kill(-demo.child.pid, "SIGKILL");
        }
        dirs.filter((dir) => existsSync(dir) && lstatSync(dir).isDirectory()).forEach(stopLocalPostgres);
        await Promise.all(blockers.map((server) => new Promise((resolve) => server.close(resolve))));
        await rm(root, { recursive: true, force: true });
      }
    },
    STARTUP_LIMIT_MS + 5 * 60_000,
  );
});
