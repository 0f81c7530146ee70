import { describe, expect, it } from "vitest";
import { joinURL } from "./openai-url.js";

describe("joinURL", () => {
  it("appends the path to a plain base URL", () => {
    expect(joinURL("https://api.openai.com/v1", "chat/completions")).toBe(
      "https://api.openai.com/v1/chat/completions",
    );
  });

  it("keeps a query string after the joined path", () => {
    expect(joinURL("https://proxy.example/v1?tenant=acme", "/chat/completions")).toBe(
      "https://proxy.example/v1/chat/completions?tenant=acme",
    );
  });

  it("collapses the slashes between base and path, and drops a fragment", () => {
    expect(joinURL("http://127.0.0.1:8080/v1///#frag", "//embeddings")).toBe(
      "http://127.0.0.1:8080/v1/embeddings",
    );
  });

  it("joins onto a bare origin", () => {
    expect(joinURL("http://localhost:11434", "v1/chat/completions")).toBe(
      "http://localhost:11434/v1/chat/completions",
    );
  });
});
