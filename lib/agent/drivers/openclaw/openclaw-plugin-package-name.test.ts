import { describe, expect, it } from "vitest";
import { openclawPluginPackageName, openclawPluginsListSchema } from "./openclaw-cli-schemas";

// Trimmed from `openclaw plugins list --json` on 2026.9.5 after `openclaw plugins install @openclaw/discord@2026.9.5 --pin`.
const LIST = {
  workspaceDir: "/tmp/home/.openclaw/workspace",
  plugins: [
    {
      id: "a2a",
      name: "A2A",
      version: "2026.9.5",
      origin: "bundled",
      enabled: false,
      status: "disabled",
      trust: { reason: "bundled", origin: "bundled" },
    },
    {
      id: "discord",
      name: "Discord",
      version: "2026.9.5",
      origin: "global",
      enabled: true,
      status: "loaded",
      trust: { reason: "trusted-official", origin: "global", installSource: "npm", installSpec: "@openclaw/discord@2026.9.5" },
    },
    { id: "local-tool", version: null, origin: "workspace", enabled: true, trust: { reason: "workspace", origin: "workspace" } },
    {
      id: "jira",
      version: "1.2.0",
      origin: "global",
      enabled: true,
      trust: { installSource: "npm", installSpec: "openclaw-plugin-jira@1.2.0" },
    },
  ],
};

describe("openclawPluginPackageName", () => {
  it("names npm-installed plugins by their package (what a lock says), others by OpenClaw's id", () => {
    const { plugins } = openclawPluginsListSchema.parse(LIST);
    expect(plugins.map(openclawPluginPackageName)).toEqual(["a2a", "@openclaw/discord", "local-tool", "openclaw-plugin-jira"]);
  });
});
