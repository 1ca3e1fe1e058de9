import { lockSchema, type Lock } from "@/lib/protocol";

/**
 * `--initial-core 2026.11.2 --initial-plugins @openclaw/slack@2026.11.0,@openclaw/github@2026.10.3`
 * into a Lock (validated like any request). Missing parts fall back to `fallback`.
 */
export function parseInitialLock(core: string | undefined, plugins: string | undefined, fallback: Lock): Lock {
  const entries =
    plugins === undefined
      ? Object.entries(fallback.plugins)
      : plugins
          .split(",")
          .map((spec) => spec.trim())
          .filter(Boolean)
          .map((spec) => {
            const at = spec.lastIndexOf("@");
            if (at <= 0) throw new Error(`--initial-plugins: "${spec}" is not name@version`);
            return [spec.slice(0, at), spec.slice(at + 1)] as const;
          });
  return lockSchema.parse({ core: core ?? fallback.core, plugins: Object.fromEntries(entries) });
}
