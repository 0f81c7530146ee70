import { joinURL } from "@llm/core";
import { describe, expect, it } from "vitest";
import { GeminiModelURLs } from "./gemini-model-urls.js";

const BASE = "https://generativelanguage.googleapis.com/v1beta";

describe("GeminiModelURLs", () => {
  it("puts the model in the path, models/ added unless the model is a path already", () => {
    const urls = new GeminiModelURLs(BASE);
    expect(urls.url("gemini-2.5-flash", ":generateContent")).toBe(
      `${BASE}/models/gemini-2.5-flash:generateContent`,
    );
    expect(urls.url("tunedModels/mine", ":generateContent")).toBe(
      `${BASE}/tunedModels/mine:generateContent`,
    );
  });

  it("adds the method's query after the base URL's own", () => {
    const urls = new GeminiModelURLs("https://proxy.example/gemini?tenant=t1");
    expect(urls.url("m", ":streamGenerateContent?alt=sse")).toBe(
      "https://proxy.example/gemini/models/m:streamGenerateContent?tenant=t1&alt=sse",
    );
    expect(urls.url("m", ":generateContent")).toBe(
      "https://proxy.example/gemini/models/m:generateContent?tenant=t1",
    );
  });

  it("answers a repeated model/method with what joinURL builds, from memory", () => {
    const urls = new GeminiModelURLs(`${BASE}?tenant=t1`);
    const methods = [":generateContent", ":streamGenerateContent?alt=sse", ":embedContent"];
    for (let round = 0; round < 3; round++) {
      for (const model of ["a", "b c", "models/ü", "../escape"]) {
        for (const method of methods) {
          expect(urls.url(model, method)).toBe(
            joinURL(
              `${BASE}?tenant=t1`,
              `${model.includes("/") ? model : `models/${model}`}${method}`,
            ),
          );
        }
      }
    }
    expect(urls.size).toBe(12);
  });

  it("keeps at most maxEntries URLs, dropping the oldest, and still answers correctly", () => {
    const urls = new GeminiModelURLs(BASE, 2);
    for (const model of ["a", "b", "c"]) urls.url(model, ":generateContent");
    expect(urls.size).toBe(2);
    expect(urls.url("a", ":generateContent")).toBe(`${BASE}/models/a:generateContent`);
    expect(urls.size).toBe(2);
  });

  it("does not keep a very long model name (outside input), but still builds its URL", () => {
    const urls = new GeminiModelURLs(BASE);
    const model = "m".repeat(10_000);
    expect(urls.url(model, ":generateContent")).toBe(`${BASE}/models/${model}:generateContent`);
    expect(urls.size).toBe(0);
  });
});
