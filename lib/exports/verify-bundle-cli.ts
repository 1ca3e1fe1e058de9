import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { verifyIncidentBundle } from "./verify-incident-bundle";

interface CliOutput {
  out: (line: string) => void;
  err: (line: string) => void;
}

const USAGE = "usage: node --import tsx lib/exports/verify-bundle-cli.ts <bundle.json>";

/**
 * `node --import tsx lib/exports/verify-bundle-cli.ts bundle.json` — re-verifies an incident
 * bundle offline, with no database: prints OK and the head hash to compare with the live log, or
 * the first broken link. Returns the exit code (0 verified, 1 anything else) so tests can call it.
 *
 * Reads the whole file: bundles are per incident, and a streaming JSON parser is not worth a
 * dependency until they are not.
 */
export async function verifyBundleCli(args: readonly string[], output: CliOutput = consoleOutput): Promise<number> {
  const [path, ...rest] = args;
  if (!path || rest.length > 0 || path === "--help" || path === "-h") {
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
  const result = await verifyIncidentBundle(json);
  if (!result.ok) {
    output.err(`FAILED (${result.problem}): ${result.message}`);
    return 1;
  }
  const span = result.count === 0 ? "no events" : `${result.count} events, #${result.firstSeq} to #${result.lastSeq}`;
  output.out(`OK: ${span}${result.fromGenesis ? ", starting at the beginning of the log" : ""}.`);
  output.out(`head hash: ${result.headHash ?? "(none)"} — compare it with the live audit log at #${result.lastSeq ?? "-"}.`);
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
