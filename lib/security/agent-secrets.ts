import { deriveSecretKey, isSealed, openSecret, sealSecret } from "./secret-box";

let cached: { secret: string; key: Buffer } | undefined;

/** The key for node agent secrets, from ROLLBOOK_SECRET_KEY (`npm run demo` keeps one in .data/). */
function agentSecretsKey(): Buffer {
  const secret = process.env.ROLLBOOK_SECRET_KEY;
  if (!secret) {
    throw new Error("ROLLBOOK_SECRET_KEY is not set: it encrypts node agent secrets at rest (see README, Configuration)");
  }
  if (cached?.secret !== secret) cached = { secret, key: deriveSecretKey(secret, "node agent secrets") };
  return cached.key;
}

/**
 * What goes into Node.agentSecret: the agent's signing secret, encrypted. A database dump or
 * backup alone then cannot sign requests to the fleet's agents.
 */
export function sealAgentSecret(plaintext: string): string {
  return sealSecret(plaintext, agentSecretsKey());
}

/**
 * The signing secret from a stored Node.agentSecret. Rows written before secrets were encrypted
 * hold the plaintext `whsec_…` value and are used as they are until the node is registered again.
 */
export function openAgentSecret(stored: string): string {
  return isSealed(stored) ? openSecret(stored, agentSecretsKey()) : stored;
}
