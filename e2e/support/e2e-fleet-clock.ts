/**
 * The e2e fleet's clock: the simulator's --time-scale (e2e/global-setup.ts) and the dashboard's
 * ROLLBOOK_ANALYSIS_TIME_SCALE (playwright.config.ts) must be the same number, or the canary judge
 * reads the fleet's minutes wrong. At 120 the leaky release "2026.11.4" climbs 2 → 8 GB in two
 * real minutes (its "4 h"): 50 % of the 8 GiB limit after ~46 s, 75 % after ~89 s, while the judge
 * has its 12 samples at one a second about 13 s after the restart.
 */
export const E2E_TIME_SCALE = 120;

/** The collector's poll interval for e2e: one sample a second per node. */
export const E2E_COLLECT_INTERVAL_MS = 1_000;
