import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import type { z } from "zod";

/** A JSON or YAML file (YAML is a superset of JSON) validated against `schema`. */
export async function loadConfigFile<S extends z.ZodType>(file: string, schema: S): Promise<z.infer<S>> {
  const parsed = schema.safeParse(parse(await readFile(file, "utf8")));
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`${file}: ${first ? `${first.path.join(".") || "(root)"}: ${first.message}` : "invalid"}`);
  }
  return parsed.data;
}
