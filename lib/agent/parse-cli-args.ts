import { parseArgs, type ParseArgsConfig } from "node:util";

/**
 * Flags first, then environment variables (`<envPrefix><FLAG_IN_UPPER_SNAKE>`), as plain strings
 * for a zod schema to coerce and validate. Unknown flags are an error, not silently ignored.
 */
export function parseCliArgs(
  argv: string[],
  env: Readonly<Record<string, string | undefined>>,
  options: { flags: readonly string[]; envPrefix: string },
): Record<string, string | undefined> {
  const config: ParseArgsConfig = {
    args: argv,
    options: Object.fromEntries(options.flags.map((flag) => [flag, { type: "string" as const }])),
    strict: true,
    allowPositionals: false,
  };
  const { values } = parseArgs(config);
  const merged: Record<string, string | undefined> = {};
  for (const flag of options.flags) {
    const fromFlag = values[flag];
    const fromEnv = env[`${options.envPrefix}${flag.replaceAll("-", "_").toUpperCase()}`];
    merged[flag] = typeof fromFlag === "string" ? fromFlag : fromEnv;
  }
  return merged;
}
