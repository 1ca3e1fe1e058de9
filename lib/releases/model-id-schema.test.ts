import { describe, expect, it } from "vitest";
import { modelIdProblem, modelIdSchema } from "./model-id-schema";

describe("modelIdProblem", () => {
  it.each([
    "claude-sonnet-4-5-20250929",
    "anthropic/claude-sonnet-4-5-20250929",
    "gpt-4o-2024-08-06",
    "openai/gpt-4o-mini-2024-07-18",
    "anthropic.claude-3-5-sonnet-20240620-v1:0",
    "provider/model@2025-06-01",
    "ollama/llama3.1:8b@20250601",
    "google/gemini-1.5-pro@002",
    "mistral/mistral-large@2.1.0",
  ])("accepts the exact pin %s", (id) => {
    expect(modelIdProblem(id)).toBeNull();
  });

  it.each(["latest", "claude-3-5-sonnet-latest", "gpt-4o:latest", "provider/model@latest", "LATEST-2025-06-01"])(
    "refuses %s because it mentions latest",
    (id) => {
      expect(modelIdProblem(id)).toBe(
        `"${id}" points at "latest", which moves whenever the provider ships a new model; pin an exact id with a date stamp ` +
          "(YYYYMMDD or YYYY-MM-DD, e.g. claude-sonnet-4-5-20250929 or gpt-4o-2024-08-06) or an explicit @version (e.g. provider/model@2025-06-01)",
      );
    },
  );

  it.each(["claude-sonnet-4", "gpt-4o", "anthropic/claude-opus-4-1", "gemini-2.5-pro", "gpt-4-0613"])(
    "refuses the undated alias %s",
    (id) => {
      expect(modelIdProblem(id)).toMatch(
        new RegExp(`^"${id}" is an undated alias that the provider can repoint at any time; pin an exact id`),
      );
    },
  );

  it("refuses a date-shaped number that is not a calendar date, naming it", () => {
    expect(modelIdProblem("model-20251399")).toMatch(/^"model-20251399" has "20251399", which is not a calendar date; pin an exact id/);
    expect(modelIdProblem("model-2025-02-30")).toMatch(/has "2025-02-30", which is not a calendar date/);
    // 8 digits inside a longer number are not a date stamp.
    expect(modelIdProblem("model-202506011")).toMatch(/is an undated alias/);
    // mixed separators are not a date stamp either
    expect(modelIdProblem("model-2025-0601")).toMatch(/is an undated alias/);
  });

  it("refuses an @ suffix that is not a version", () => {
    expect(modelIdProblem("provider/model@stable")).toBe(
      '"provider/model@stable" has "@stable", which is not a version; after "@" use a date (2025-06-01) or a version number (1.2.0)',
    );
  });

  it.each(["", "has space-20250929", "-leading-dash-20250929", "a@b@2025-06-01", "x".repeat(201)])("refuses the malformed id %j", (id) => {
    expect(modelIdProblem(id)).toMatch(/is not a model id: use letters, digits and \. _ : \/ - with an optional @version/);
  });
});

describe("modelIdSchema", () => {
  it("reports the problem as the issue message and refuses non-strings", () => {
    const result = modelIdSchema.safeParse("gpt-4o");
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/^"gpt-4o" is an undated alias/);
    expect(modelIdSchema.safeParse(42).error?.issues[0]?.message).toBe("must be a model id string");
    expect(modelIdSchema.parse("gpt-4o-2024-08-06")).toBe("gpt-4o-2024-08-06");
  });
});
