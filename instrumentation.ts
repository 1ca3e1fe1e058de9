/**
 * Next.js calls register() once when a server instance starts: the durable job worker that runs
 * plan steps and restores lives beside the dashboard, so `npm run demo` needs no extra process.
 * Set ROLLBOOK_WORKER=off to run a dashboard instance that only serves pages.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.ROLLBOOK_WORKER === "off") return;
  const { startJobWorker } = await import("./lib/server/jobs/start-job-worker");
  await startJobWorker();
}
