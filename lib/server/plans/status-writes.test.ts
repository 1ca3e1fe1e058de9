import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * "One way to change a status": plan and step statuses are written only by apply-status.ts. The
 * database refuses illegal pairs by itself (a trigger); this test refuses the legal-but-bypassing
 * kind too, so a new raw `status:` write fails the suite instead of slipping past the applier.
 */
const ROOT = path.resolve(import.meta.dirname, "../../..");
const SCANNED = ["lib", "app", "components", "prisma", "scripts", "e2e"];
const APPLIER = path.join("lib", "server", "plans", "apply-status.ts");
const SELF = path.join("lib", "server", "plans", "status-writes.test.ts");
// Writes around the applier on purpose, to prove the database refuses them.
const TRIGGER_TEST = path.join("lib", "server", "plans", "apply-status.db.test.ts");

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" || entry.name === "node_modules" ? [] : sourceFiles(relative);
    return /\.(ts|tsx|mts)$/.test(entry.name) ? [relative] : [];
  });
}

/** The text from `open` (an opening bracket's index) to its matching close, ignoring strings lightly. */
function balanced(text: string, open: number): string {
  const pairs: Record<string, string> = { "(": ")", "{": "}" };
  const closer = pairs[text[open] ?? ""];
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    if (text[i] === text[open]) depth += 1;
    else if (text[i] === closer && --depth === 0) return text.slice(open, i + 1);
  }
  return text.slice(open);
}

/** Every Prisma write on Plan / PlanStep whose `data` sets `status`, and every raw UPDATE that does. */
export function findStatusWrites(file: string, text: string): string[] {
  const found: string[] = [];
  const call = /\.(plan|planStep)\.(update|updateMany|upsert|create|createMany)\s*\(/g;
  for (const match of text.matchAll(call)) {
    const argument = balanced(text, match.index + match[0].length - 1);
    for (const data of argument.matchAll(/\b(data|update|create)\s*:\s*\{/g)) {
      const body = balanced(argument, data.index + data[0].length - 1);
      if (/(^|[\s{,])status\s*:/.test(body)) found.push(`${file}: ${match[1]}.${match[2]} sets status`);
    }
  }
  for (const match of text.matchAll(/UPDATE\s+"?(Plan|PlanStep)"?\s+(?:AS\s+\w+\s+)?SET\b([\s\S]*?)(WHERE|;|`)/gi)) {
    if (/\bstatus\b/i.test(match[2] ?? "")) found.push(`${file}: raw UPDATE of ${match[1]} sets status`);
  }
  return found;
}

describe("plan and step status writes", () => {
  it("happen only in the status applier", () => {
    const offenders = SCANNED.flatMap(sourceFiles)
      .filter((file) => file !== APPLIER && file !== SELF && file !== TRIGGER_TEST)
      .flatMap((file) => findStatusWrites(file, readFileSync(path.join(ROOT, file), "utf8")));
    expect(offenders).toEqual([]);
  });

  it("would notice the writes it exists to refuse", () => {
    expect(
      findStatusWrites("a.ts", `await tx.planStep.updateMany({ where: { id, status: "running" }, data: { status: "pending" } });`),
    ).toHaveLength(1);
    expect(findStatusWrites("b.ts", `await db.plan.update({ where: { id }, data: { statusReason: "x", status: next } });`)).toHaveLength(1);
    expect(findStatusWrites("c.ts", 'await client.query(`UPDATE "PlanStep" SET "error" = $1, status = $2 WHERE id = $3`)')).toHaveLength(1);
    // Reading by status, or writing other columns, is fine.
    expect(findStatusWrites("d.ts", `await tx.planStep.updateMany({ where: { status: "running" }, data: { attempts: 2 } });`)).toEqual([]);
    expect(findStatusWrites("e.ts", `await db.plan.update({ where: { id }, data: { statusReason: reason } });`)).toEqual([]);
  });
});
