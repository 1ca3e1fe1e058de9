import { describe, expect, it } from "vitest";
import { readyProbeParts, type ReadyProbeInput } from "@/lib/protocol/ready-probe-sha256";
import { fleetConsensus, type ConsensusNode } from "./fleet-consensus";

const A = "a".repeat(64);
const B = "b".repeat(64);
const C = "c".repeat(64);

function probeInput(
  overrides: { config?: string; diskStatus?: "ok" | "warn" | "fail"; plugins?: Record<string, string> } = {},
): ReadyProbeInput {
  const plugins = overrides.plugins ?? { "memory-lancedb": "1.2.0", "voice-call": "0.9.1" };
  return {
    installed: { core: "2026.11.2", plugins },
    lockfile: { core: "2026.11.2", plugins, sha256: "1".repeat(64) },
    pluginTree: Object.entries(plugins).map(([name, version]) => ({ name, version, peer: "^2026.0.0", peerOk: true })),
    configHash: overrides.config ?? "2".repeat(64),
    doctor: {
      version: "2026.11.2",
      agentVersion: "0.4.0",
      checks: [
        { id: "gateway", status: "ok", message: "listening" },
        { id: "disk", status: overrides.diskStatus ?? "ok", message: "whatever the node says" },
      ],
      status: overrides.diskStatus ?? "ok",
      generatedAt: "2026-11-23T12:00:00.000Z",
    },
  };
}

function node(
  name: string,
  probeSha256: string,
  parts: Record<string, unknown> = readyProbeParts(probeInput()),
  releaseKey = "2026.11.2",
): ConsensusNode {
  return { nodeId: `id-${name}`, name, releaseKey, probeSha256, probeParts: parts };
}

describe("fleetConsensus", () => {
  it("leaves a group of one alone: nobody to disagree with", () => {
    expect(fleetConsensus([node("gw-1", A)])).toEqual([
      {
        releaseKey: "2026.11.2",
        nodeCount: 1,
        status: "single",
        majorityProbe: null,
        majorityCount: 1,
        peerProbeMajority: null,
        disagreeing: [],
        divergentParts: [],
      },
    ]);
  });

  it("reports agreement when every node has the same probe", () => {
    expect(fleetConsensus([node("gw-1", A), node("gw-2", A), node("gw-3", A)])).toEqual([
      {
        releaseKey: "2026.11.2",
        nodeCount: 3,
        status: "agree",
        majorityProbe: A,
        majorityCount: 3,
        peerProbeMajority: A,
        disagreeing: [],
        divergentParts: [],
      },
    ]);
  });

  it("names the node that disagrees and shows the differing parts side by side", () => {
    const odd = readyProbeParts(probeInput({ config: "9".repeat(64), diskStatus: "warn" }));
    const [group] = fleetConsensus([node("gw-1", A), node("gw-2", B, odd), node("gw-3", A)]);
    expect(group).toMatchObject({ status: "majority", majorityProbe: A, majorityCount: 2, peerProbeMajority: A });
    expect(group?.disagreeing).toEqual([
      {
        nodeId: "id-gw-2",
        name: "gw-2",
        probeSha256: B,
        differences: [
          { part: "doctor[disk]", majority: { id: "disk", status: "ok" }, node: { id: "disk", status: "warn" } },
          { part: "configHash", majority: "2".repeat(64), node: "9".repeat(64) },
        ],
      },
    ]);
    expect(group?.divergentParts).toEqual([
      {
        part: "doctor[disk]",
        values: [
          { value: { id: "disk", status: "ok" }, nodeIds: ["id-gw-1", "id-gw-3"] },
          { value: { id: "disk", status: "warn" }, nodeIds: ["id-gw-2"] },
        ],
      },
      {
        part: "configHash",
        values: [
          { value: "2".repeat(64), nodeIds: ["id-gw-1", "id-gw-3"] },
          { value: "9".repeat(64), nodeIds: ["id-gw-2"] },
        ],
      },
    ]);
  });

  it("lines plugins up by name, showing a missing one as undefined on that side", () => {
    const fewer = readyProbeParts(probeInput({ plugins: { "memory-lancedb": "1.3.0" } }));
    const [group] = fleetConsensus([node("gw-1", A), node("gw-2", A), node("gw-3", B, fewer)]);
    // In readyProbeParts' order: installed plugins first, the plugin tree after.
    expect(group?.disagreeing[0]?.differences).toEqual([
      { part: "plugins.memory-lancedb", majority: "1.2.0", node: "1.3.0" },
      { part: "plugins.voice-call", majority: "0.9.1", node: undefined },
      {
        part: "pluginTree[memory-lancedb]",
        majority: { name: "memory-lancedb", version: "1.2.0", peer: "^2026.0.0", peerOk: true },
        node: { name: "memory-lancedb", version: "1.3.0", peer: "^2026.0.0", peerOk: true },
      },
      {
        part: "pluginTree[voice-call]",
        majority: { name: "voice-call", version: "0.9.1", peer: "^2026.0.0", peerOk: true },
        node: undefined,
      },
    ]);
  });

  it("compares values canonically: key order in a record is not a difference", () => {
    const reordered = { ...readyProbeParts(probeInput()), plugins: { "voice-call": "0.9.1", "memory-lancedb": "1.2.0" } };
    const nested = { ...readyProbeParts(probeInput()), extra: { b: 1, a: [1, 2] } };
    const nestedReordered = { ...readyProbeParts(probeInput()), extra: { a: [1, 2], b: 1 } };
    const [group] = fleetConsensus([
      node("gw-1", A, nested),
      node("gw-2", A, nested),
      node("gw-3", B, { ...nestedReordered, ...reordered }),
    ]);
    expect(group?.disagreeing).toEqual([{ nodeId: "id-gw-3", name: "gw-3", probeSha256: B, differences: [] }]);
  });

  it("flags every node when a tie leaves no majority", () => {
    const odd = readyProbeParts(probeInput({ config: "9".repeat(64) }));
    const [group] = fleetConsensus([node("gw-1", A), node("gw-2", B, odd), node("gw-3", A), node("gw-4", B, odd)]);
    expect(group).toEqual({
      releaseKey: "2026.11.2",
      nodeCount: 4,
      status: "no_majority",
      majorityProbe: null,
      majorityCount: 2,
      peerProbeMajority: { noMajority: true, peers: 4 },
      disagreeing: ["gw-1", "gw-2", "gw-3", "gw-4"].map((name, i) => ({
        nodeId: `id-${name}`,
        name,
        probeSha256: i % 2 === 0 ? A : B,
        differences: [],
      })),
      divergentParts: [
        {
          part: "configHash",
          values: [
            { value: "2".repeat(64), nodeIds: ["id-gw-1", "id-gw-3"] },
            { value: "9".repeat(64), nodeIds: ["id-gw-2", "id-gw-4"] },
          ],
        },
      ],
    });
  });

  it("wants a strict majority: 2 of 4 with the rest split is still no majority", () => {
    const [group] = fleetConsensus([node("gw-1", A), node("gw-2", A), node("gw-3", B), node("gw-4", C)]);
    expect(group?.status).toBe("no_majority");
    expect(group?.disagreeing.map((d) => d.name)).toEqual(["gw-1", "gw-2", "gw-3", "gw-4"]);
  });

  it("flags both nodes of a two-node group that disagree", () => {
    const [group] = fleetConsensus([node("gw-1", A), node("gw-2", B)]);
    expect([group?.status, group?.peerProbeMajority, group?.disagreeing.length]).toEqual([
      "no_majority",
      { noMajority: true, peers: 2 },
      2,
    ]);
  });

  it("votes per release, so nodes on another release can't outvote or be outvoted", () => {
    const old = readyProbeParts({ ...probeInput(), installed: { core: "2026.10.0", plugins: {} } });
    const groups = fleetConsensus([
      node("gw-1", A),
      node("old-1", C, old, "2026.10.0"),
      node("gw-2", A),
      node("old-2", C, old, "2026.10.0"),
      node("old-3", C, old, "2026.10.0"),
      node("gw-3", B),
    ]);
    expect(groups.map((g) => [g.releaseKey, g.status, g.majorityProbe, g.disagreeing.map((d) => d.name)])).toEqual([
      ["2026.11.2", "majority", A, ["gw-3"]],
      ["2026.10.0", "agree", C, []],
    ]);
  });

  it("returns nothing for no nodes", () => {
    expect(fleetConsensus([])).toEqual([]);
  });

  it("keeps unkeyed lists whole", () => {
    const [group] = fleetConsensus([
      node("gw-1", A, { tags: ["x", "y"] }),
      node("gw-2", A, { tags: ["x", "y"] }),
      node("gw-3", B, { tags: ["y", "x"] }),
    ]);
    expect(group?.disagreeing[0]?.differences).toEqual([{ part: "tags", majority: ["x", "y"], node: ["y", "x"] }]);
  });
});
