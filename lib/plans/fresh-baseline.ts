import { AppError } from "@/lib/app-error";

type Wave = { index: number; nodeIds: readonly string[] };

/**
 * The fresh baseline (the analysis' `freshBaseline`, after Kayenta's advice to compare a new
 * canary with a baseline just as new): one stable node restarted on its old release together with
 * the canary, so that whatever grows with uptime (a leak, a cache, a fragmented heap) grows on
 * both sides of the comparison instead of hiding in it. The node is the first of the next wave:
 * it is in the plan, so restarting it surprises nobody, and it is not upgraded before the canary's
 * looks are over. The restart rides on the first canary's restart step (`carrier`), so it needs
 * no click of its own and shares that step's request id, bookmark and audit trail.
 *
 * Only the canary's wave has one: by the next wave the fresh baseline is being upgraded itself,
 * and later waves are judged against the stable nodes as usual.
 */
export function freshBaselineOf(waves: readonly Wave[]): { nodeId: string; carrierNodeId: string } | null {
  const canary = waves.find((wave) => wave.index === 0);
  const next = waves.find((wave) => wave.index === 1);
  const carrierNodeId = canary?.nodeIds[0];
  const nodeId = next?.nodeIds[0];
  return carrierNodeId && nodeId ? { nodeId, carrierNodeId } : null;
}

/** Refuses a fresh baseline the plan cannot have: with one wave, there is no stable node to restart. */
export function requireFreshBaseline(waves: readonly Wave[]): { nodeId: string; carrierNodeId: string } {
  const fresh = freshBaselineOf(waves);
  if (!fresh) {
    throw new AppError("invalid_input", "A fresh baseline needs a second wave: its first node is restarted with the canary.", {
      fieldErrors: {
        "analysis.freshBaseline": ["A fresh baseline is a node of the next wave restarted with the canary; this plan has one wave"],
      },
    });
  }
  return fresh;
}
