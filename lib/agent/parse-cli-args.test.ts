import { describe, expect, it } from "vitest";
import { parseCliArgs } from "./parse-cli-args";
import { parseInitialLock } from "./parse-initial-lock";
import { defaultSimLock } from "./drivers/sim/create-sim-driver";

const flags = ["port", "state-dir", "name"] as const;

describe("parseCliArgs", () => {
  it("takes flags over environment variables over nothing", () => {
    const parsed = parseCliArgs(
      ["--port", "9200"],
      { ROLLBOOK_AGENT_PORT: "9300", ROLLBOOK_AGENT_STATE_DIR: "/tmp/x" },
      { flags, envPrefix: "ROLLBOOK_AGENT_" },
    );
    expect(parsed).toEqual({ port: "9200", "state-dir": "/tmp/x", name: undefined });
  });

  it("refuses unknown flags and positionals", () => {
    expect(() => parseCliArgs(["--prot", "1"], {}, { flags, envPrefix: "X_" })).toThrow();
    expect(() => parseCliArgs(["stray"], {}, { flags, envPrefix: "X_" })).toThrow();
  });
});

describe("parseInitialLock", () => {
  it("parses scoped plugin specs and falls back to the default lock", () => {
    expect(parseInitialLock("2026.12.0", "@openclaw/slack@2026.12.1, jira@1.0.0", defaultSimLock)).toEqual({
      core: "2026.12.0",
      plugins: { "@openclaw/slack": "2026.12.1", jira: "1.0.0" },
    });
    expect(parseInitialLock(undefined, undefined, defaultSimLock)).toEqual(defaultSimLock);
    expect(parseInitialLock(undefined, "", defaultSimLock).plugins).toEqual({});
  });

  it("refuses what a request would refuse", () => {
    expect(() => parseInitialLock("latest", undefined, defaultSimLock)).toThrow();
    expect(() => parseInitialLock(undefined, "slack", defaultSimLock)).toThrow(/name@version/);
    expect(() => parseInitialLock(undefined, "slack@$(id)", defaultSimLock)).toThrow();
  });
});
