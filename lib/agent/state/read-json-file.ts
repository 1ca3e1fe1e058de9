import { readFile } from "node:fs/promises";
import type { z } from "zod";

/** Reads and validates a JSON file; null when it does not exist, an Error naming the file otherwise. */
export async function readJsonFile<S extends z.ZodType>(path: string, schema: S): Promise<z.infer<S> | null> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not valid JSON`, { cause: error });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`${path} is invalid: ${first ? `${first.path.join(".")}: ${first.message}` : "schema mismatch"}`);
  }
  return parsed.data;
}
