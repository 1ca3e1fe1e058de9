/** Reported in doctor and readiness so the dashboard can tell agent builds apart. */
export const agentVersion = "0.1.0";
