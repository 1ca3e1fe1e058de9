import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { verifyIncidentBundle } from "./verify-incident-bundle";

interface CliOutput {
  out: (line: string) => void;
  err: (line: string) => void;
}

const USAGE = "usage: node --import tsx lib/exports/verify-bundle-cli.ts <bundle.json> [--public-key <key>] [--allow-unsigned]";

/**
 * `node --import tsx lib/exports/verify-bundle-cli.ts bundle.json [--public-key <key>]` —
 * re-verifies an incident bundle offline, with no database: prints OK, who signed its checkpoints
 * and the log head to compare with the live log, or the first problem. `--public-key` pins the
 * dashboard's key (`publicKey` of `GET /api/audit/checkpoint`); `--allow-unsigned` accepts a
 * bundle from before checkpoints. Returns the exit code (0 verified, 1 anything else) so tests
 * can call it.
 *
 * Reads the whole file: bundles are per incident, and a streaming JSON parser is not worth a
 * dependency until they are not.
 */
export async function verifyBundleCli(args: readonly string[], output: CliOutput = consoleOutput): Promise<number> {
  let parsedArgs;
  try {
    parsedArgs = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        "public-key": { type: "string" },
        "allow-unsigned": { type: "boolean", default: false },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    output.err(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 1;
  }
  const { values, positionals } = parsedArgs;
  const [path, ...rest] = positionals;
  if (!path || rest.length > 0 || values.help) {
    output.err(USAGE);
    return 1;
  }
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    output.err(`FAILED: cannot read ${path} as JSON: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  const result = await verifyIncidentBundle(json, {
    ...(values["public-key"] ? { publicKey: values["public-key"] } : {}),
    allowUnsigned: values["allow-unsigned"],
  });
  if (!result.ok) {
    output.err(`FAILED (${result.problem}): ${result.message}`);
    return 1;
  }
  const span = result.count === 0 ? "no events" : `${result.count} events, #${result.firstSeq} to #${result.lastSeq}`;
  output.out(`OK: ${span}${result.fromGenesis ? ", starting at the beginning of the log" : ""}.`);
  output.out(`head hash: ${result.headHash ?? "(none)"} — compare it with the live audit log at #${result.lastSeq ?? "-"}.`);
  if (result.signedBy === null) {
    output.out("UNSIGNED: no checkpoint; events cut off the end of this bundle could not be noticed.");
  } else if (result.keyPinned) {
    output.out(`signed by the pinned key ${result.signedBy}.`);
  } else {
    output.out(
      `signed by key ${result.signedBy} (not pinned: compare it with publicKey of GET /api/audit/checkpoint, or pass --public-key).`,
    );
  }
  if (result.logCheckpoint) {
    output.out(
      `log head at export: #${result.logCheckpoint.sequence} (signed at ${result.logCheckpoint.at}); check the live log still holds it with npm run audit:verify -- --checkpoint ${path}`,
    );
  }
  return 0;
}

const consoleOutput: CliOutput = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

// Run only when executed directly, not when imported by tests.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await verifyBundleCli(process.argv.slice(2));
}
