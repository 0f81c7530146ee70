import { inspect } from "node:util";
import { ConfigError, isSecret, type Secret } from "@llm/core";
import { describe, expect, it } from "vitest";
import { diffConfig } from "./diff.js";
import { parseConfigText } from "./load-config.js";
import {
  MAX_PROVIDER_SETTINGS_DEPTH,
  MAX_PROVIDER_SETTINGS_KEYS,
  MAX_PROVIDER_SETTINGS_STRING_LENGTH,
} from "./provider-settings.js";

const SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const SESSION = "FwoGZXIvYXdzEBYaDEXAMPLEsessionTOKEN";

const yaml = (settings: string) =>
  `clients:\n  aws:\n    provider: bedrock\n    model: amazon.nova-lite-v1:0\n    providerSettings: ${settings}\n`;

function issuesOf(text: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfigText(text, { env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error("expected a ConfigError");
}

describe("clients.<name>.providerSettings", () => {
  const config = parseConfigText(
    yaml(
      "{ region: eu-west-3, accessKeyId: AKIDEXAMPLE, secretAccessKey: '${AWS_SECRET}', sessionToken: '${AWS_TOKEN}' }",
    ),
    { env: { AWS_SECRET: SECRET_KEY, AWS_TOKEN: SESSION } },
  );
  const settings = config.clients.aws?.providerSettings as Record<string, unknown>;

  it("keeps plain settings as given and turns credential-named ones into Secrets", () => {
    expect(settings.region).toBe("eu-west-3");
    expect(settings.accessKeyId).toBe("AKIDEXAMPLE");
    expect(isSecret(settings.secretAccessKey)).toBe(true);
    expect((settings.secretAccessKey as Secret).reveal()).toBe(SECRET_KEY);
    expect((settings.sessionToken as Secret).reveal()).toBe(SESSION);
  });

  it("prints the credentials redacted, like apiKey", () => {
    const printed = [
      JSON.stringify(config),
      inspect(config, { depth: 10 }),
      String(settings.sessionToken),
    ];
    for (const output of printed) {
      expect(output).not.toContain(SECRET_KEY);
      expect(output).not.toContain(SESSION);
    }
    expect(JSON.stringify(settings)).toContain("eu-west-3");
  });

  it("lists a changed credential as [REDACTED] in the change list", () => {
    const next = parseConfigText(yaml("{ region: eu-west-3, secretAccessKey: '${AWS_SECRET}' }"), {
      env: { AWS_SECRET: `${SECRET_KEY}2` },
    });
    const changes = diffConfig(config, next);
    expect(changes).toContainEqual({
      path: "clients.aws.providerSettings.secretAccessKey",
      before: "[REDACTED]",
      after: "[REDACTED]",
    });
    expect(JSON.stringify(changes)).not.toContain(SECRET_KEY);
  });

  it("takes settings from an environment override, credential included", () => {
    const overridden = parseConfigText(yaml("{ region: eu-west-3 }"), {
      env: {
        LLM__CLIENTS__AWS__PROVIDER_SETTINGS__REGION: "us-west-2",
        LLM__CLIENTS__AWS__PROVIDER_SETTINGS__SESSION_TOKEN: SESSION,
      },
      envPrefix: "LLM__",
    });
    const given = overridden.clients.aws?.providerSettings as Record<string, unknown>;
    expect(given.region).toBe("us-west-2");
    // Record keys from the environment are lower-cased; @llm/di matches them to `sessionToken`.
    expect(isSecret(given.session_token)).toBe(true);
  });

  it("refuses a string longer than the bound", () => {
    const long = "x".repeat(MAX_PROVIDER_SETTINGS_STRING_LENGTH + 1);
    expect(issuesOf(yaml(`{ profile: ${long} }`))[0]).toContain(
      `clients.aws.providerSettings.profile: is longer than ${MAX_PROVIDER_SETTINGS_STRING_LENGTH} characters`,
    );
  });

  it("refuses more keys than the bound", () => {
    const many = Array.from({ length: MAX_PROVIDER_SETTINGS_KEYS + 1 }, (_, i) => `k${i}: 1`).join(
      ", ",
    );
    expect(issuesOf(yaml(`{ ${many} }`))[0]).toContain(
      `clients.aws.providerSettings: has ${MAX_PROVIDER_SETTINGS_KEYS + 1} keys, more than ${MAX_PROVIDER_SETTINGS_KEYS}`,
    );
  });

  it("refuses nesting deeper than the bound, and over-long keys", () => {
    let nested = "1";
    for (let i = 0; i <= MAX_PROVIDER_SETTINGS_DEPTH; i++) nested = `{ a: ${nested} }`;
    expect(issuesOf(yaml(nested))[0]).toContain(
      `is nested deeper than ${MAX_PROVIDER_SETTINGS_DEPTH} levels`,
    );
    expect(issuesOf(yaml(`{ ${"k".repeat(200)}: 1, list: [1, { b: 2 }] }`))[0]).toContain(
      "clients.aws.providerSettings: has a key longer than 128 characters",
    );
  });

  it("refuses a function given in code: only plain data is config", () => {
    let message = "";
    try {
      parseConfigText(yaml("{}"), {
        overrides: { clients: { aws: { providerSettings: { credentials: () => undefined } } } },
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("clients.aws.providerSettings.credentials:");
    expect(message).toContain("must be plain data (text, numbers, booleans, lists, mappings)");
  });
});
