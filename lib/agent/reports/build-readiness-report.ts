import {
  readyProbeSha256,
  type CapabilityReport,
  softwareChangingActions,
  type ActionName,
  type DoctorReport,
  type LbState,
  type QueueSnapshot,
  type ReadinessReason,
  type ReadinessReport,
  type WebhookDigest,
} from "@/lib/protocol";
import { agentVersion } from "../agent-version";
import type { DriverSnapshot } from "../drivers/agent-driver";
import { capabilityReasons } from "./build-capability-report";
import { compareTreeToLock } from "./compare-tree-to-lock";

export type ReadinessInput = {
  node: { name: string; driver: string };
  snapshot: DriverSnapshot;
  doctor: DoctorReport;
  queue: QueueSnapshot;
  webhooks: WebhookDigest;
  lb: LbState;
  /** The node's latest capability run, null before any. */
  capabilities: CapabilityReport | null;
  /** The mutating operation in flight, if any. */
  activeOperation: ActiveOperation | null;
  now: Date;
};

export type ActiveOperation = { id: string; action: ActionName };

/**
 * Merges everything into one verdict. Not ready when: there is no usable lockfile, the installed
 * tree differs from it in any way, a plugin's peer range is unmet, a doctor check fails, a
 * capability check of its latest run failed outright, or an operation that changes its software
 * (upgrade, restart, rollback) is in flight. A capability score that is merely lower is reported,
 * not judged: comparing it with the stable nodes is the canary judge's job. Drained/weight,
 * and operations that only change them, are reported but do not affect `ready`: nodes are
 * verified while drained, before traffic comes back.
 */
export function buildReadinessReport(input: ReadinessInput): ReadinessReport {
  const { snapshot, doctor } = input;
  const reasons: ReadinessReason[] = [];
  if (snapshot.lockfile === null) {
    reasons.push({ code: "no_lockfile", message: "node has no lockfile, so nothing says what it should run" });
  } else if (snapshot.lockfile.lock === null) {
    reasons.push({ code: "lockfile_unreadable", message: "lockfile exists but does not parse as a lock" });
  } else {
    reasons.push(...compareTreeToLock(snapshot.installed, snapshot.lockfile.lock));
  }
  for (const plugin of snapshot.pluginTree) {
    if (!plugin.peerOk) {
      reasons.push({ code: "peer_unsatisfied", message: `${plugin.name}@${plugin.version} needs openclaw ${plugin.peer}` });
    }
  }
  for (const check of doctor.checks) {
    if (check.status === "fail") reasons.push({ code: "doctor_fail", message: `${check.id}: ${check.message}` });
  }
  reasons.push(...capabilityReasons(input.capabilities));
  const active = input.activeOperation;
  if (active && softwareChangingActions.has(active.action)) {
    reasons.push({ code: "operation_running", message: `operation ${active.id} (${active.action}) is changing this node` });
  }
  const warnings = doctor.checks
    .filter((check) => check.status === "warn")
    .map((check) => ({ code: "doctor_warn", message: `${check.id}: ${check.message}` }));

  const lock = snapshot.lockfile?.lock ?? null;
  const report: Omit<ReadinessReport, "ready_probe_sha256"> = {
    node: { ...input.node, agentVersion },
    installed: snapshot.installed,
    lockfile: snapshot.lockfile ? { core: lock?.core ?? null, plugins: lock?.plugins ?? {}, sha256: snapshot.lockfile.sha256 } : null,
    pluginTree: snapshot.pluginTree,
    configHash: snapshot.configHash,
    doctor,
    queue: input.queue,
    webhooks: input.webhooks,
    lb: input.lb,
    activeOperationId: active?.id ?? null,
    capabilities: input.capabilities,
    ready: reasons.length === 0,
    reasons,
    warnings,
    generatedAt: input.now.toISOString(),
  };
  return { ...report, ready_probe_sha256: readyProbeSha256(report) };
}
