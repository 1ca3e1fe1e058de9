import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import JSON5 from "json5";

// OpenClaw's own limit on nested includes (docs: gateway/configuration, "$include").
const MAX_DEPTH = 10;

function includesOf(value: unknown, found: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) includesOf(item, found);
    return;
  }
  if (value === null || typeof value !== "object") return;
  for (const [key, child] of Object.entries(value)) {
    if (key === "$include") {
      for (const target of Array.isArray(child) ? child : [child]) if (typeof target === "string") found.push(target);
    } else includesOf(child, found);
  }
}

/**
 * sha256 over openclaw.json and every file it `$include`s (relative paths resolve against the
 * including file, as OpenClaw resolves them), each as "<path>\0<bytes>\0" in the order they are
 * reached, so an edit to any included file changes the hash. null when the config file does not
 * exist. A file that does not parse as JSON5 is still hashed (its includes cannot be followed, and
 * OpenClaw's doctor reports the parse error); a missing include is hashed as missing.
 */
export async function hashOpenclawConfig(configPath: string): Promise<string | null> {
  const hash = createHash("sha256");
  const seen = new Set<string>();
  async function visit(file: string, depth: number, root: boolean): Promise<boolean> {
    const resolved = path.resolve(file);
    if (seen.has(resolved) || depth > MAX_DEPTH) return true;
    seen.add(resolved);
    let text: string;
    try {
      text = await readFile(resolved, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      if (root) return false;
      hash.update(`${resolved}\0<missing>\0`);
      return true;
    }
    hash.update(`${resolved}\0${text}\0`);
    let parsed: unknown;
    try {
      parsed = JSON5.parse(text);
    } catch {
      return true;
    }
    const includes: string[] = [];
    includesOf(parsed, includes);
    for (const include of includes) await visit(path.resolve(path.dirname(resolved), include), depth + 1, false);
    return true;
  }
  return (await visit(configPath, 0, true)) ? hash.digest("hex") : null;
}
