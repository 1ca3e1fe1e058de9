import { actionSchemas, type Operation, type OperationResult } from "@/lib/protocol";
import type { AgentDriver, StepContext } from "../drivers/agent-driver";
import { buildCapabilityReport, capabilityReasons } from "../reports/build-capability-report";
import type { AgentReports } from "../reports/create-agent-reports";
import { compareTreeToLock } from "../reports/compare-tree-to-lock";
import { applyLock } from "./apply-lock";
import { OperationCancelled, OperationFailure } from "./operation-failure";

type RunActionDeps = { driver: AgentDriver; reports: AgentReports };

/**
 * What one action does. The request was validated on the way in; it is re-parsed for its type.
 * A cancelled action fails with code "cancelled" and, where it changes the node, a result that
 * records what the node was left with (each driver step either happened or did not).
 */
export async function runAction(operation: Operation, deps: RunActionDeps, ctx: StepContext): Promise<OperationResult> {
  try {
    return await perform(operation, deps, ctx);
  } catch (error) {
    const reason: unknown = ctx.signal.reason;
    if (!ctx.signal.aborted || !(reason instanceof OperationCancelled)) throw error;
    throw new OperationFailure(reason.code, reason.message, await stateAfterCancel(operation, deps.driver).catch(() => undefined));
  }
}

async function stateAfterCancel(operation: Operation, driver: AgentDriver): Promise<OperationResult | undefined> {
  switch (operation.action) {
    case "upgrade":
    case "rollback": {
      const snapshot = await driver.snapshot();
      return { installed: snapshot.installed, lockfileSha256: snapshot.lockfile?.sha256 ?? null };
    }
    case "drain":
    case "undrain":
    case "set-weight":
      return { lb: await driver.lbState() };
    default:
      return undefined;
  }
}

async function perform(operation: Operation, deps: RunActionDeps, ctx: StepContext): Promise<OperationResult> {
  const { driver, reports } = deps;
  switch (operation.action) {
    case "drain":
      return { lb: await driver.setLbState({ drained: true }, ctx) };
    case "undrain":
      return { lb: await driver.setLbState({ drained: false }, ctx) };
    case "set-weight": {
      const { weight } = actionSchemas["set-weight"].parse(operation.request);
      return { lb: await driver.setLbState({ weight }, ctx) };
    }
    case "upgrade": {
      const { lock } = actionSchemas.upgrade.parse(operation.request);
      return applyLock(driver, lock, ctx);
    }
    case "rollback": {
      const { bookmark } = actionSchemas.rollback.parse(operation.request);
      const { weight, ...lock } = bookmark;
      const result = await applyLock(driver, lock, ctx);
      if (weight !== undefined) {
        ctx.log(`restoring LB weight ${weight}`);
        result.lb = await driver.setLbState({ weight }, ctx);
      }
      return result;
    }
    case "doctor": {
      const doctor = await reports.doctor();
      ctx.log(
        `doctor: ${doctor.status} (${
          doctor.checks
            .filter((c) => c.status !== "ok")
            .map((c) => c.id)
            .join(", ") || "all checks ok"
        })`,
      );
      return { doctor };
    }
    case "restart": {
      await driver.restart(ctx);
      return { doctor: await reports.doctor() };
    }
    case "verify": {
      const { expect, checks } = actionSchemas.verify.parse(operation.request);
      // Capabilities first, so the readiness read after them already carries this run.
      const run = await driver.runCapabilityChecks(checks ?? null, ctx);
      const capabilities = buildCapabilityReport({ run, requested: checks ?? null, now: new Date() });
      if (capabilities) {
        const failed = capabilities.checks.filter((check) => !check.ok).map((check) => check.id);
        ctx.log(
          `capabilities: score ${capabilities.score.toFixed(3)} over ${capabilities.checks.length} checks (${failed.length > 0 ? `failed: ${failed.join(", ")}` : "all ok"})`,
          failed.length > 0 ? "warn" : "info",
        );
      }
      const readiness = await reports.readiness();
      // This run is the one verify judges (it holds checks the driver could not run, too).
      const reasons = [...readiness.reasons.filter((reason) => reason.code !== "capability_failed"), ...capabilityReasons(capabilities)];
      if (expect) reasons.push(...compareTreeToLock(readiness.installed, expect).map((r) => ({ ...r, code: `expect_${r.code}` })));
      const result: OperationResult = { ready: reasons.length === 0, reasons, readyProbeSha256: readiness.ready_probe_sha256 };
      if (capabilities) result.capabilities = capabilities;
      if (reasons.length > 0) {
        throw new OperationFailure("not_ready", `node is not ready: ${reasons.map((r) => r.message).join("; ")}`, result);
      }
      ctx.log(`ready; probe ${readiness.ready_probe_sha256.slice(0, 12)}`);
      return result;
    }
  }
}
