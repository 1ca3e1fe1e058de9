import { notFound } from "next/navigation";
import { CopyJsonButton } from "@/components/fleet/copy-json-button";
import { NodeCharts } from "@/components/fleet/node-charts";
import { ReadinessBadge } from "@/components/fleet/readiness-badge";
import { PageHeader } from "@/components/ui/page-header";
import { StatusBadge } from "@/components/ui/status-badge";
import { isAppError } from "@/lib/app-error";
import { metricRangeSchema } from "@/lib/fleet/metric-range";
import { getNodeDetailOrThrow } from "@/lib/server/fleet/get-node-detail";
import { requirePageUser } from "@/lib/server/session";

export default async function NodePage({
  params,
  searchParams,
}: {
  params: Promise<{ nodeId: string }>;
  searchParams: Promise<{ range?: string }>;
}) {
  const user = await requirePageUser("viewer");
  const [{ nodeId }, { range }] = await Promise.all([params, searchParams]);
  const detail = await getNodeDetailOrThrow({ actor: user, nodeId }).catch((error: unknown) => {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  });
  const { node, report } = detail;
  const json = report ? JSON.stringify(report, null, 2) : "";
  return (
    <>
      <PageHeader
        title={node.name}
        description={`${node.role} · ${node.region} · core ${node.coreVersion ?? "unknown"} · LB weight ${node.lbWeight} · ${node.agentUrl}`}
      />
      <div className="space-y-6">
        <section aria-label="Readiness" className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
          <div className="flex flex-wrap items-center gap-3">
            <ReadinessBadge readiness={node.readiness} />
            {detail.memoryProjection && (
              <span role="status" className="rounded bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-900">
                Memory {detail.memoryProjection.message}
              </span>
            )}
            {detail.lastError && (
              <span className="text-xs text-rose-700">
                Last poll failed ({detail.lastError.code}): {detail.lastError.message}
              </span>
            )}
          </div>
          {node.readiness.reasons.length > 0 && (
            <ul aria-label="Readiness reasons" className="mt-2 list-disc pl-5 text-sm text-slate-700">
              {node.readiness.reasons.map((reason) => (
                <li key={`${reason.code}-${reason.message}`}>
                  <code className="text-xs">{reason.code}</code> {reason.message}
                </li>
              ))}
            </ul>
          )}
          {node.probeDisagreement && (
            <table aria-label="Probe differences" className="mt-3 text-xs">
              <thead>
                <tr className="text-left text-slate-500">
                  <th className="pr-4">part</th>
                  <th className="pr-4">this node</th>
                  <th>peers</th>
                </tr>
              </thead>
              <tbody>
                {node.probeDisagreement.map((difference) => (
                  <tr key={difference.part}>
                    <td className="pr-4 font-mono">{difference.part}</td>
                    <td className="pr-4 font-mono text-rose-700">{JSON.stringify(difference.node)}</td>
                    <td className="font-mono">{JSON.stringify(difference.majority)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        <NodeCharts nodeId={node.id} range={metricRangeSchema.parse(range ?? "1h")} />

        {report && (
          <div className="grid gap-6 xl:grid-cols-2">
            <section aria-labelledby="doctor-heading" className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
              <h2 id="doctor-heading" className="mb-2 font-semibold">
                Doctor checks{" "}
                <StatusBadge status={report.doctor.status === "ok" ? "succeeded" : report.doctor.status === "warn" ? "paused" : "failed"} />
              </h2>
              <ul className="divide-y divide-slate-100 text-sm">
                {report.doctor.checks.map((check) => (
                  <li key={check.id} className="flex gap-3 py-1.5">
                    <span className="w-14 shrink-0 font-mono text-xs">{check.status}</span>
                    <span className="font-medium">{check.id}</span>
                    <span className="text-slate-600">{check.message}</span>
                  </li>
                ))}
              </ul>
            </section>
            <section aria-labelledby="json-heading" className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
              <div className="mb-2 flex items-center gap-2">
                <h2 id="json-heading" className="font-semibold">
                  Merged readiness JSON
                </h2>
                <span className="text-xs text-slate-500">
                  received {detail.reportAt ? new Date(detail.reportAt).toISOString().slice(11, 19) : "?"} UTC
                </span>
                <span className="ml-auto">
                  <CopyJsonButton json={json} />
                </span>
              </div>
              <pre className="max-h-96 overflow-auto rounded bg-slate-950 p-3 text-xs text-slate-100">{json}</pre>
            </section>
          </div>
        )}
      </div>
    </>
  );
}
