import { describe, expect, it } from "vitest";
import {
  ContentFilterStreamMetadata,
  FilterVerdicts,
  MAX_FILTER_CATEGORIES,
  readContentFilterMetadata,
} from "./azure-content-filter-metadata.js";

const merged = (...sets: unknown[]) => {
  const verdicts = new FilterVerdicts();
  for (const set of sets) verdicts.add(set);
  return verdicts.result();
};

describe("FilterVerdicts", () => {
  it("keeps a single set of verdicts as it came", () => {
    const set = {
      hate: { filtered: false, severity: "safe" },
      jailbreak: { filtered: false, detected: false },
      protected_material_code: {
        filtered: false,
        detected: true,
        citation: { URL: "https://example.com/repo", license: "MIT" },
      },
    };
    expect(merged(set)).toEqual(set);
  });

  it("marks a category filtered or detected when any chunk did, at the highest severity seen", () => {
    expect(
      merged(
        { violence: { filtered: false, severity: "low" }, jailbreak: { detected: true } },
        { violence: { filtered: true, severity: "high" }, jailbreak: { detected: false } },
        { violence: { filtered: false, severity: "medium" } },
      ),
    ).toEqual({
      violence: { filtered: true, severity: "high" },
      jailbreak: { detected: true },
    });
  });

  it("takes the latest chunk's other fields, replaced rather than appended", () => {
    expect(
      merged(
        { custom_blocklists: { filtered: true, details: [{ id: "a", filtered: true }] } },
        { custom_blocklists: { filtered: false, details: [{ id: "b", filtered: false }] } },
      ),
    ).toEqual({ custom_blocklists: { filtered: true, details: [{ id: "b", filtered: false }] } });
  });

  it("ranks a severity off Azure's scale below every known one", () => {
    expect(merged({ hate: { severity: "unheard-of" } })).toEqual({
      hate: { severity: "unheard-of" },
    });
    expect(merged({ hate: { severity: "unheard-of" } }, { hate: { severity: "safe" } })).toEqual({
      hate: { severity: "safe" },
    });
    expect(merged({ hate: { severity: "low" } }, { hate: { severity: "other" } })).toEqual({
      hate: { severity: "low" },
    });
  });

  it.each([
    ["results that are a string", "filtered"],
    ["results that are a list", [{ hate: { filtered: true } }]],
    ["results that are null", null],
  ])("drops %s", (_, set) => {
    expect(merged(set)).toBeUndefined();
  });

  it("drops categories and fields of the wrong type, keeping the rest", () => {
    expect(
      merged({
        hate: 5,
        sexual: null,
        violence: { filtered: "yes", severity: 3, detected: true },
        self_harm: { filtered: false, severity: "safe" },
      }),
    ).toEqual({ violence: { detected: true }, self_harm: { filtered: false, severity: "safe" } });
  });

  it("holds at most MAX_FILTER_CATEGORIES categories, however many chunks name new ones", () => {
    const verdicts = new FilterVerdicts();
    for (let i = 0; i < 500; i++) verdicts.add({ [`c${i}`]: { filtered: true } });
    verdicts.add({ c0: { filtered: false, severity: "high" } });
    const result = verdicts.result() ?? {};
    expect(Object.keys(result)).toHaveLength(MAX_FILTER_CATEGORIES);
    expect(result.c0).toEqual({ filtered: true, severity: "high" });
  });

  it("keeps a category named __proto__ as a key, not a prototype", () => {
    const result = merged(JSON.parse('{"__proto__":{"filtered":true}}')) ?? {};
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.keys(result)).toEqual(["__proto__"]);
  });
});

describe("readContentFilterMetadata and ContentFilterStreamMetadata", () => {
  const prompt = { hate: { filtered: false, severity: "safe" } };
  const completion = { violence: { filtered: true, severity: "medium" } };

  it("reads the same metadata from a whole answer and from its stream", () => {
    const whole = readContentFilterMetadata({
      choices: [{ message: {}, content_filter_results: completion } as never],
      prompt_filter_results: [{ prompt_index: 0, content_filter_results: prompt }],
    } as never);
    const stream = new ContentFilterStreamMetadata();
    stream.read({
      id: "",
      choices: [],
      prompt_filter_results: [{ prompt_index: 0, content_filter_results: prompt }],
    } as never);
    stream.read({ id: "c", choices: [{ delta: { content: "I" } }] });
    stream.read({
      id: "c",
      choices: [{ delta: {}, finish_reason: "content_filter", content_filter_results: completion }],
    } as never);
    expect(whole).toEqual({ promptFilterResults: prompt, contentFilterResults: completion });
    expect(stream.result()).toEqual(whole);
  });

  it("gives no metadata when Azure sent no verdicts, or only ones of the wrong type", () => {
    expect(readContentFilterMetadata({ choices: [] })).toBeUndefined();
    const stream = new ContentFilterStreamMetadata();
    stream.read({ choices: [null, 5] as never, prompt_filter_results: { 0: prompt } } as never);
    stream.read({ prompt_filter_results: [null] } as never);
    stream.read({ choices: [{ content_filter_results: "safe" }] } as never);
    expect(stream.result()).toBeUndefined();
  });
});
