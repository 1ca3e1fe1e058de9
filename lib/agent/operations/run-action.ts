import { actionSchemas, type Operation, type OperationResult } from "@/lib/protocol";
import type { AgentDriver, StepContext } from "../drivers/agent-driver";
import type { AgentReports } from "../reports/create-agent-reports";
import { compareTreeToLock } from "../reports/compare-tree-to-lock";
import { applyLock } from "./apply-lock";
import { OperationFailure } from "./operation-failure";

/** What one action does. The request was validated on the way in; it is re-parsed for its type. */
export async function runAction(
  operation: Operation,
  deps: { driver: AgentDriver; reports: AgentReports },
  ctx: StepContext,
): Promise<OperationResult> {
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
      const { expect } = actionSchemas.verify.parse(operation.request);
      const readiness = await reports.readiness();
      const reasons = [...readiness.reasons];
      if (expect) reasons.push(...compareTreeToLock(readiness.installed, expect).map((r) => ({ ...r, code: `expect_${r.code}` })));
      const result: OperationResult = { ready: reasons.length === 0, reasons, readyProbeSha256: readiness.ready_probe_sha256 };
      if (reasons.length > 0) {
        throw new OperationFailure("not_ready", `node is not ready: ${reasons.map((r) => r.message).join("; ")}`, result);
      }
      ctx.log(`ready; probe ${readiness.ready_probe_sha256.slice(0, 12)}`);
      return result;
    }
  }
}
