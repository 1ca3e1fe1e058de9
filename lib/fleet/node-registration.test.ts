import { describe, expect, it } from "vitest";
import { fleetFilterSchema, nodeRegistrationSchema } from "./node-registration";

const valid = {
  name: "gw-eu-1",
  agentUrl: "http://127.0.0.1:9101/",
  agentSecret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  role: "canary",
  region: "eu-west-1",
};

describe("nodeRegistrationSchema", () => {
  it("accepts a well-formed node and normalises the URL", () => {
    const parsed = nodeRegistrationSchema.parse(valid);
    expect(parsed.agentUrl).toBe("http://127.0.0.1:9101");
  });

  it.each([
    ["name", "GW 1; drop table"],
    ["agentUrl", "file:///etc/passwd"],
    ["agentUrl", "not a url"],
    ["agentSecret", "hunter2"],
    ["role", "leader"],
    ["region", "EU WEST"],
  ])("rejects a bad %s (%s) with a message on that field", (field, value) => {
    const result = nodeRegistrationSchema.safeParse({ ...valid, [field]: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toContain(field);
  });
});

describe("fleetFilterSchema", () => {
  it("drops unknown filter values instead of failing the page", () => {
    expect(fleetFilterSchema.parse({ role: "leader", region: "eu-west-1" })).toEqual({ role: undefined, region: "eu-west-1" });
  });
});
