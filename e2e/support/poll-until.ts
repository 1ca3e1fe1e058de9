import { setTimeout as sleep } from "node:timers/promises";

/**
 * Calls `probe` until it returns a value (anything but undefined), or throws once `timeoutMs` has
 * passed. The error says what was awaited and, through `describe`, what the world looked like then,
 * so a stuck step fails with its state and its job's lock rather than with "timed out".
 */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined>,
  options: { timeoutMs: number; intervalMs?: number; what: string; describe?: () => Promise<string> | string },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) {
      const detail = options.describe ? `: ${await options.describe()}` : "";
      throw new Error(`${options.what}${detail}`);
    }
    await sleep(options.intervalMs ?? 250);
  }
}
