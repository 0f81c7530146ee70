import { describe, expect, it } from "vitest";
import { joinURL } from "./base-url.js";

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

  it("adds a query in the path after the base's own", () => {
    expect(
      joinURL(
        "https://gateway.example/v1beta?tenant=acme",
        "models/gemini-2.0-flash:streamGenerateContent?alt=sse",
      ),
    ).toBe(
      "https://gateway.example/v1beta/models/gemini-2.0-flash:streamGenerateContent?tenant=acme&alt=sse",
    );
  });
});
