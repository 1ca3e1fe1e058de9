import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { defaultSimLock } from "@/lib/agent/drivers/sim/create-sim-driver";
import { simDefaultCapabilityChecks } from "@/lib/agent/drivers/sim/sim-default-capability-checks";
import { agentProtocolLimits, capabilityCheckListSchema } from "@/lib/protocol";
import { exampleManifestYaml, exampleManifests } from "./example-manifests";
import { parseReleaseManifest } from "./parse-release-manifest";
import { releaseManifestLimits } from "./release-manifest-limits";
import { validateReleaseManifest } from "./validate-release-manifest";
import { validateReleaseSuccessor } from "./validate-release-successor";

describe("exampleManifests", () => {
  it("are valid manifests", () => {
    for (const [key, manifest] of Object.entries(exampleManifests)) {
      expect(validateReleaseManifest(manifest), key).toEqual({ ok: true, manifest });
    }
  });

  it("form a chain stable → successor → leaky that passes the successor rules", () => {
    const { stable, successor, leaky } = exampleManifests;
    expect(validateReleaseSuccessor({ previous: null, next: stable }).ok).toBe(true);
    expect(validateReleaseSuccessor({ previous: stable, next: successor }).ok).toBe(true);
    expect(validateReleaseSuccessor({ previous: successor, next: leaky }).ok).toBe(true);
  });

  it("give each release its own core version, so sim faults keyed by core hit exactly one", () => {
    const cores = Object.values(exampleManifests).map((manifest) => manifest.core);
    expect(new Set(cores).size).toBe(cores.length);
  });

  it("start the demo in sync: the stable release is the sim driver's default lock", () => {
    const { core, plugins } = exampleManifests.stable;
    expect({ core, plugins }).toEqual(defaultSimLock);
  });

  it("list capability checks a verify request can carry as they are", () => {
    for (const [key, manifest] of Object.entries(exampleManifests)) {
      expect(capabilityCheckListSchema.parse(manifest.capabilityChecks), key).toEqual(manifest.capabilityChecks);
    }
    expect(releaseManifestLimits.maxCapabilityChecks).toBe(agentProtocolLimits.maxCapabilityChecks);
  });

  it("baseline the canary judge: the stable release's checks are the sim's own probes", () => {
    expect(exampleManifests.stable.capabilityChecks).toEqual(simDefaultCapabilityChecks);
  });

  it("ship the successor as YAML text", () => {
    expect(parseReleaseManifest(exampleManifestYaml)).toEqual({ ok: true, manifest: exampleManifests.successor });
  });

  it("are what docs/releases.md shows, so the documented example stays a valid upload", () => {
    const doc = readFileSync(path.resolve(import.meta.dirname, "../../docs/releases.md"), "utf8");
    const block = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(block).toBe(exampleManifestYaml);
  });
});
