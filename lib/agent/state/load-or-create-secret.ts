import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { agentSecretSchema, generateAgentSecret, type AgentSecret } from "@/lib/protocol";

/**
 * The node's shared secret from `file`, generated on first run and kept from then on (mode
 * 0600), so restarting an agent or a fleet never invalidates what the dashboard has stored.
 */
export async function loadOrCreateSecret(file: string): Promise<AgentSecret> {
  try {
    return agentSecretSchema.parse(await readFile(file, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new Error(`secret file ${file} is unreadable or not a whsec_ secret`, { cause: error });
    }
  }
  await mkdir(path.dirname(file), { recursive: true });
  const secret = generateAgentSecret();
  try {
    // "wx": if another process created it meanwhile, theirs wins and we read it back.
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return agentSecretSchema.parse(await readFile(file, "utf8"));
  }
}
