import type { AgentSecret } from "./agent-secret-schema";

/** A fresh 256-bit secret from the platform CSPRNG, ready for Standard Webhooks signing. */
export function generateAgentSecret(): AgentSecret {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}
