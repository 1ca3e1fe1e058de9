"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { VersionCount } from "@/lib/fleet/version-distribution";

/** Nodes per core version, canaries stacked on top: how far a rollout has come at a glance. */
export function VersionChart({ data }: { data: VersionCount[] }) {
  const rows = data.map((entry) => ({ version: entry.version, stable: entry.nodes - entry.canaries, canary: entry.canaries }));
  return (
    <figure className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" aria-label="Nodes per core version">
      <figcaption className="mb-2 text-sm font-semibold">Nodes per core version</figcaption>
      <div className="h-48">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} layout="vertical" margin={{ left: 24, right: 16 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" allowDecimals={false} />
            <YAxis type="category" dataKey="version" width={90} tick={{ fontSize: 12 }} />
            <Tooltip />
            <Legend />
            <Bar dataKey="stable" name="stable / witness" stackId="nodes" fill="#475569" isAnimationActive={false} />
            <Bar dataKey="canary" name="canary" stackId="nodes" fill="#f59e0b" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
