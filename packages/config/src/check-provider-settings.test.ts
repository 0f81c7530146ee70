import { type JsonSchema, Secret } from "@llm/core";
import { describe, expect, it } from "vitest";
import { checkProviderSettings } from "./check-provider-settings.js";

/** A provider's schema as a provider package writes it (JSON Schema, no library). */
const schema: JsonSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    region: { type: "string", pattern: "^[a-z]{2}-[a-z]+-\\d$", description: "a region name" },
    accessKeyId: { type: "string", minLength: 1, maxLength: 8 },
    secretAccessKey: { type: "string", minLength: 1, writeOnly: true },
    deployment: { type: "string", minLength: 3 },
    safePrompt: { type: "boolean" },
    surface: { enum: ["deployments", "v1"] },
    retries: { type: "integer", minimum: 0, maximum: 5 },
    ratio: { type: "number" },
    compatibility: {
      type: "object",
      additionalProperties: false,
      required: ["mode"],
      properties: { mode: { type: "string" } },
    },
    odd: { type: "array" },
  },
};
const PATH = "clients.aws.providerSettings";
const check = (value: unknown) => checkProviderSettings(schema, value, PATH);

describe("checkProviderSettings", () => {
  it("returns the checked values, credentials wrapped as Secrets", () => {
    const { value, issues } = check({
      region: "eu-west-3",
      accessKeyId: "AKID",
      secretAccessKey: "s3cr3t",
      safePrompt: true,
      surface: "v1",
      retries: 2,
      ratio: 0.5,
      compatibility: { mode: "x" },
    });
    expect(issues).toEqual([]);
    expect(value).toMatchObject({ region: "eu-west-3", accessKeyId: "AKID", safePrompt: true });
    expect(value.secretAccessKey).toBeInstanceOf(Secret);
    expect((value.secretAccessKey as Secret).reveal()).toBe("s3cr3t");
    expect(value).toMatchObject({
      surface: "v1",
      retries: 2,
      ratio: 0.5,
      compatibility: { mode: "x" },
    });
  });

  it("names an unknown key by its full path and lists the known ones", () => {
    const { issues } = check({ regoin: "eu-west-3" });
    expect(issues).toEqual([
      {
        path: `${PATH}.regoin`,
        message: expect.stringContaining('unknown key "regoin" (known keys: region, accessKeyId'),
      },
    ]);
    expect(
      checkProviderSettings({ type: "object", properties: {} }, { x: 1 }, PATH).issues[0]?.message,
    ).toBe('unknown key "x" (this provider takes no settings)');
  });

  it("matches keys ignoring case, '_' and '-', as environment overrides spell them", () => {
    const { value, issues } = check({
      secret_access_key: new Secret("from-env"),
      SAFE_PROMPT: "true",
    });
    expect(issues).toEqual([]);
    expect((value.secretAccessKey as Secret).reveal()).toBe("from-env");
    expect(value.safePrompt).toBe(true);
  });

  it("reads numbers and booleans from ${VAR} strings and reveals a Secret in an ordinary field", () => {
    const { value } = check({
      retries: "3",
      safePrompt: "false",
      accessKeyId: new Secret("AKID2"),
    });
    expect(value).toEqual({ retries: 3, safePrompt: false, accessKeyId: "AKID2" });
  });

  it("reports every wrong value without quoting it", () => {
    const { issues } = check({
      region: "moon-1",
      accessKeyId: "AKIDTOOLONG",
      secretAccessKey: "",
      deployment: "ab",
      safePrompt: "yes",
      surface: "v2",
      retries: 1.5,
      ratio: "many",
      compatibility: {},
      odd: [],
    });
    expect(issues.map((i) => `${i.path.slice(PATH.length + 1)}: ${i.message}`)).toEqual([
      "region: does not have the expected form: a region name",
      "accessKeyId: is longer than 8 characters",
      "secretAccessKey: is empty",
      "deployment: is shorter than 3 characters",
      "safePrompt: expected true or false",
      'surface: expected one of "deployments", "v1"',
      "retries: expected an integer",
      "ratio: expected a number",
      "compatibility.mode: is required",
      `odd: the provider's schema has an unsupported type "array"`,
    ]);
    expect(JSON.stringify(issues)).not.toContain("moon-1");
  });

  it("checks types and bounds of numbers, strings and mappings", () => {
    const { issues } = check({ retries: 9, accessKeyId: 42, compatibility: "x", region: {} });
    expect(issues.map((i) => i.message)).toEqual([
      "must be at most 5",
      "expected a mapping",
      "expected a string",
    ]);
    expect(check({ retries: -1 }).issues[0]?.message).toBe("must be at least 0");
    expect(check("not a mapping")).toEqual({
      value: {},
      issues: [{ path: PATH, message: "expected a mapping" }],
    });
  });
});
