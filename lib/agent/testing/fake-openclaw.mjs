#!/usr/bin/env node
// A stand-in for the `openclaw` CLI (and `npm install -g openclaw@x`) used by exec-driver tests.
// It records every argv it receives, one JSON line each, in $FAKE_OPENCLAW_HOME/argv.log, keeps
// the "installed" tree in $FAKE_OPENCLAW_HOME/state.json, and prints status/doctor JSON.
// Knobs (files in the home dir, so tests can flip them between calls):
//   fail-<subcommand>      that subcommand exits 1 with an error on stderr
//   doctor-fail            doctor reports a failing "tools" check (and exits 1, like the real one)
//   down                   status reports the service down (restart never comes back)
//   capability-fail-<id>   `capabilities` reports that check failed; capability-skip-<id> leaves it out
// `hang` sleeps for a minute; `hang-tree` does too, in a grandchild (like npm's workers), and
// both write the pids of what they started to hang.pids, so tests can prove they were killed.
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const home = process.env.FAKE_OPENCLAW_HOME;
if (!home) {
  console.error("FAKE_OPENCLAW_HOME is not set");
  process.exit(2);
}
const args = process.argv.slice(2);
appendFileSync(path.join(home, "argv.log"), `${JSON.stringify(args)}\n`);

const statePath = path.join(home, "state.json");
const state = existsSync(statePath)
  ? JSON.parse(readFileSync(statePath, "utf8"))
  : { core: "2026.11.2", plugins: { "@openclaw/slack": "2026.11.0" } };
const save = () => writeFileSync(statePath, JSON.stringify(state));
const flag = (name) => existsSync(path.join(home, name));

const [command, sub, target] = args;
const key = sub && command === "plugins" ? `${command}-${sub}` : command;
if (flag(`fail-${key}`)) {
  console.error(`fake-openclaw: ${key} failed: EACCES: permission denied, mkdir '/usr/lib/node_modules/openclaw'`);
  process.exit(1);
}

switch (command) {
  case "install-core": {
    // argv: install-core openclaw@<version>
    state.core = sub.slice(sub.lastIndexOf("@") + 1);
    save();
    console.log(`added 1 package, changed 212 packages in 3s (openclaw@${state.core})`);
    break;
  }
  case "plugins": {
    if (sub === "install") {
      const at = target.lastIndexOf("@");
      state.plugins[target.slice(0, at)] = target.slice(at + 1);
    } else if (sub === "uninstall") {
      delete state.plugins[target];
    }
    save();
    console.log(`plugins ${sub} ${target}: ok`);
    break;
  }
  case "status":
    console.log(
      JSON.stringify({
        core: state.core,
        plugins: Object.entries(state.plugins).map(([name, version]) => ({ name, version })),
        service: { up: !flag("down") },
        memoryBytes: 1_900_000_000,
        memoryLimitBytes: 8_589_934_592,
        queue: { depth: 2, inFlight: 1, oldestAgeMs: 800, completedRetained: 120, processingRatePerSec: 1.5 },
        tasks: { processedTotal: 1234, errorsTotal: 3, tokensSpentTotal: 987654 },
        webhooks: { received: 40, failed: 1, byEvent: { "message.created": 40 }, lastReceivedAt: new Date().toISOString() },
      }),
    );
    break;
  case "doctor": {
    const failing = flag("doctor-fail");
    console.log(
      JSON.stringify({
        checks: [
          { id: "config-shape", status: "ok", message: "valid" },
          { id: "auth-ready", status: "ok", message: "token present" },
          { id: "plugin-peer-tree", status: "ok", message: "peers satisfied" },
          { id: "storage", status: "ok", message: "writable" },
          { id: "tools", status: failing ? "fail" : "ok", message: failing ? "exec tool sandbox missing" : "ok" },
        ],
      }),
    );
    process.exit(failing ? 1 : 0);
    break;
  }
  case "capabilities": {
    // The checks to run arrive as JSON in the environment ([] = the gateway's own probes).
    const requested = JSON.parse(process.env.ROLLBOOK_CAPABILITY_CHECKS ?? "null");
    writeFileSync(path.join(home, "capabilities-request.json"), JSON.stringify(requested));
    const probes = requested.length > 0 ? requested : [{ id: "gateway-selftest", kind: "model_reply" }];
    const checks = probes
      .filter((check) => !flag(`capability-skip-${check.id}`))
      .map((check) => {
        const failing = flag(`capability-fail-${check.id}`);
        return {
          id: check.id,
          kind: check.kind,
          ok: !failing,
          score: failing ? 0 : 0.9,
          durationMs: 120,
          detail: failing ? "probe timed out" : "9/10 probes passed",
        };
      });
    console.log(JSON.stringify({ checks }));
    break;
  }
  case "migrate":
  case "restart":
  case "lb":
  case "echo":
    console.log(`${command} ok`);
    break;
  case "hang":
    appendFileSync(path.join(home, "hang.pids"), `${process.pid}\n`);
    setTimeout(() => {}, 60_000);
    break;
  case "hang-tree": {
    const worker = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "inherit" });
    appendFileSync(path.join(home, "hang.pids"), `${process.pid}\n${worker.pid}\n`);
    setTimeout(() => {}, 60_000);
    break;
  }
  case "spew":
    process.stdout.write("x".repeat(1024 * 1024));
    break;
  default:
    console.error(`fake-openclaw: unknown command ${command}`);
    process.exit(64);
}
