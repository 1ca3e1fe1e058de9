import "server-only";
import { Logger } from "graphile-worker";

// graphile-worker's LogLevel is an ambient const enum; compare against its string values.
const LOUD_LEVELS = new Set<string>(["error", "warning"]);

/** graphile-worker logs every completed job at info; keep warnings and errors only. */
export const jobLogger = new Logger(() => (level, message) => {
  const levelName: string = level;
  if (LOUD_LEVELS.has(levelName)) console.error(`[jobs] ${levelName}: ${message}`);
});
