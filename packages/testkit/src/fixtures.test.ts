import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fixturesDir, listFixtures, readFixture } from "./fixtures.js";

describe("fixtures", () => {
  it("ships the recorded files with their license", () => {
    expect(existsSync(`${fixturesDir}LICENSE.vercel-ai`)).toBe(true);
    expect(existsSync(`${fixturesDir}README.md`)).toBe(true);
  });

  it("lists fixtures by provider, one name per recording", () => {
    expect(listFixtures("openai")).toEqual(["openai/openai-text"]);
    expect(listFixtures("anthropic")).toContain("anthropic/spliced-message-start");
    expect(listFixtures("gemini")).toContain("gemini/google-429-retry-info");
    expect(listFixtures("ollama")).toEqual([]);
  });

  it("reads the JSON body and the stream payloads of a fixture", () => {
    const fixture = readFixture("anthropic/anthropic-text");
    expect(fixture.provider).toBe("anthropic");
    expect((fixture.json as { type: string }).type).toBe("message");
    expect(fixture.chunks?.[0]).toMatch(/^\{"type":"message_start"/);
    expect(readFixture("anthropic/anthropic-text")).toBe(fixture);
  });

  it("leaves out the form a fixture was not recorded in", () => {
    expect(readFixture("anthropic/duplicate-message-start").json).toBeUndefined();
    expect(readFixture("gemini/google-429-retry-info").chunks).toBeUndefined();
  });

  it("names the known fixtures when asked for an unknown one", () => {
    expect(() => readFixture("openai/nope")).toThrow(
      /Unknown fixture "openai\/nope".*openai\/openai-text/,
    );
    expect(() => readFixture("nope")).toThrow(/expected "<provider>\/<name>"/);
  });
});
