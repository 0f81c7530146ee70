import { describe, expect, it } from "vitest";
import { fromOllamaHost } from "./ollama-provider.js";

describe("fromOllamaHost", () => {
  it.each([
    [undefined, "http://127.0.0.1:11434"],
    ["", "http://127.0.0.1:11434"],
    ["0.0.0.0", "http://127.0.0.1:11434"],
    ["0.0.0.0:8080", "http://127.0.0.1:8080"],
    ["gpu-box", "http://gpu-box:11434"],
    ["gpu-box:80", "http://gpu-box"],
    ["http://gpu-box", "http://gpu-box"],
    ["https://ollama.example.com/proxy/", "https://ollama.example.com/proxy/"],
    ["http://[::1]:11434", "http://[::1]:11434"],
  ])("reads OLLAMA_HOST=%s as %s", (host, expected) => {
    expect(fromOllamaHost(host)).toBe(expected);
  });
});
