import { describe, expect, it } from "vitest";
import type { ChatRequest } from "./request.js";
import { asksForVariety, replaysIdentically } from "./sampling.js";

const base: ChatRequest = { messages: [{ role: "user", content: "hi" }] };

describe("the sampling rule", () => {
  it("does not count an unset temperature as asking for variety", () => {
    expect(asksForVariety(base)).toBe(false);
  });

  it("counts an explicit temperature above 0 as asking for variety", () => {
    expect(asksForVariety({ ...base, temperature: 0.7 })).toBe(true);
    expect(asksForVariety({ ...base, temperature: 0 })).toBe(false);
  });

  it("counts several candidates in provider options as asking for variety", () => {
    expect(asksForVariety({ ...base, providerOptions: { openai: { n: 3 } } })).toBe(true);
    expect(asksForVariety({ ...base, providerOptions: { gemini: { candidateCount: 2 } } })).toBe(
      true,
    );
    expect(asksForVariety({ ...base, providerOptions: { openai: { n: 1 } } })).toBe(false);
  });

  it("expects an identical replay only for an explicit temperature of 0", () => {
    expect(replaysIdentically({ ...base, temperature: 0 })).toBe(true);
    expect(replaysIdentically(base)).toBe(false);
    expect(replaysIdentically({ ...base, temperature: 0.2 })).toBe(false);
  });
});
