import "server-only";
import { Logger } from "graphile-worker";

/** graphile-worker logs every completed job at info; keep warnings and errors only. */
export const jobLogger = new Logger(() => (level, message) => {
  if (level === "error") console.error(`[jobs] ${message}`);
  else if (level === "warning") console.warn(`[jobs] ${message}`);
});
