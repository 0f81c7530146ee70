import { createHash } from "node:crypto";
import type { ChatRequest } from "@llm/core";
import { Secret } from "@llm/core";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.js";
import { canonicalRequest } from "./canonical-request.js";
import { requestKey } from "./request-key.js";

const ctx = { provider: "openai", model: "gpt-4o-mini" };
const base: ChatRequest = { messages: [{ role: "user", content: "What is 2 + 2?" }] };
const key = (
  request: ChatRequest,
  extra: Partial<typeof ctx> & { namespace?: string; scope?: string } = {},
) => requestKey(request, { ...ctx, ...extra });

describe("requestKey", () => {
  it("is the SHA-256 hex of the canonical request", () => {
    const expected = createHash("sha256").update(canonicalRequest(base, ctx)).digest("hex");
    expect(key(base)).toBe(expected);
    expect(key(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("prefixes the namespace in clear so one tenant can be invalidated by prefix", () => {
    const k = key(base, { namespace: "tenant-42" });
    expect(k.startsWith("tenant-42:")).toBe(true);
    expect(k.slice("tenant-42:".length)).toBe(key(base));
  });

  it("differs between providers, models and namespaces", () => {
    const keys = new Set([
      key(base),
      key(base, { provider: "anthropic" }),
      key(base, { model: "gpt-4o" }),
      key(base, { namespace: "a" }),
    ]);
    expect(keys.size).toBe(4);
  });

  it("uses the request's model over the client's default", () => {
    expect(key({ ...base, model: "gpt-4o" })).toBe(key(base, { model: "gpt-4o" }));
  });

  it("ignores metadata", () => {
    expect(key({ ...base, metadata: { traceId: "abc", user: "u1" } })).toBe(key(base));
  });

  it("treats an undefined member like an absent one", () => {
    expect(key({ ...base, temperature: undefined, tools: undefined, stop: undefined })).toBe(
      key(base),
    );
  });

  it("treats string content like a single text part", () => {
    const parts: ChatRequest = {
      messages: [{ role: "user", content: [{ type: "text", text: "What is 2 + 2?" }] }],
    };
    expect(key(parts)).toBe(key(base));
    const assistant = (content: ChatRequest["messages"][number]): ChatRequest => ({
      messages: [content],
    });
    expect(key(assistant({ role: "assistant", content: "hi" }))).toBe(
      key(assistant({ role: "assistant", content: [{ type: "text", text: "hi" }] })),
    );
  });

  it("keeps whitespace significant", () => {
    expect(key({ messages: [{ role: "user", content: "What is 2 + 2? " }] })).not.toBe(key(base));
  });

  it("normalises key order inside tool schemas and provider options", () => {
    const a: ChatRequest = {
      ...base,
      tools: [{ name: "f", parameters: { type: "object", properties: { x: { type: "number" } } } }],
      providerOptions: { openai: { logprobs: true, user: "x" } },
    };
    const b: ChatRequest = {
      providerOptions: { openai: { user: "x", logprobs: true } },
      tools: [{ parameters: { properties: { x: { type: "number" } }, type: "object" }, name: "f" }],
      messages: base.messages,
    };
    expect(key(a)).toBe(key(b));
  });

  it("treats stop sequences as a set", () => {
    expect(key({ ...base, stop: ["b", "a", "a"] })).toBe(key({ ...base, stop: ["a", "b"] }));
    expect(key({ ...base, stop: [] })).toBe(key(base));
  });

  it("treats empty tools and empty provider options like none", () => {
    expect(key({ ...base, tools: [], providerOptions: {} })).toBe(key(base));
    expect(key({ ...base, providerOptions: { openai: {} } })).toBe(key(base));
  });

  it("treats a text response format like none, but not json", () => {
    expect(key({ ...base, responseFormat: { type: "text" } })).toBe(key(base));
    expect(key({ ...base, responseFormat: { type: "json" } })).not.toBe(key(base));
  });

  it("treats isError false like no isError on a tool result", () => {
    const withFlag: ChatRequest = {
      messages: [
        {
          role: "tool",
          content: [
            { type: "tool-result", toolCallId: "1", toolName: "f", output: 1, isError: false },
          ],
        },
      ],
    };
    const without: ChatRequest = {
      messages: [
        {
          role: "tool",
          content: [{ type: "tool-result", toolCallId: "1", toolName: "f", output: 1 }],
        },
      ],
    };
    expect(key(withFlag)).toBe(key(without));
  });

  it("changes with every field that changes the answer", () => {
    const variants: ChatRequest[] = [
      base,
      { ...base, temperature: 0 },
      { ...base, topP: 0.9 },
      { ...base, topK: 40 },
      { ...base, maxTokens: 100 },
      { ...base, stop: ["\n"] },
      { ...base, seed: 7 },
      { ...base, frequencyPenalty: 0.5 },
      { ...base, presencePenalty: 0.5 },
      { ...base, toolChoice: "required" },
      { ...base, toolChoice: { type: "tool", name: "f" } },
      { ...base, responseFormat: { type: "json_schema", name: "r", schema: { type: "object" } } },
      {
        ...base,
        responseFormat: {
          type: "json_schema",
          name: "r",
          schema: { type: "object" },
          strict: true,
          description: "d",
        },
      },
      { ...base, tools: [{ name: "f", parameters: {} }] },
      { ...base, tools: [{ name: "f", description: "d", strict: true, parameters: {} }] },
      { ...base, providerOptions: { openai: { logprobs: true } } },
      { messages: [{ role: "system", content: "Be brief." }, ...base.messages] },
      {
        messages: [
          {
            role: "user",
            content: [{ type: "image", source: { type: "url", url: "https://x/y.png" } }],
          },
        ],
      },
      {
        messages: [
          {
            role: "user",
            content: [
              { type: "image", source: { type: "base64", mediaType: "image/png", data: "AAAA" } },
            ],
          },
        ],
      },
      {
        messages: [
          ...base.messages,
          {
            role: "assistant",
            content: [
              { type: "reasoning", text: "think", signature: "sig" },
              { type: "reasoning", text: "think" },
              { type: "tool-call", toolCallId: "c1", toolName: "f", input: { b: 1, a: 2 } },
            ],
          },
          {
            role: "tool",
            content: [
              { type: "tool-result", toolCallId: "c1", toolName: "f", output: "4", isError: true },
            ],
          },
        ],
      },
    ];
    const keys = new Set(variants.map((v) => key(v)));
    expect(keys.size).toBe(variants.length);
  });

  it("never includes credentials from provider options", () => {
    const secret = "sk-test-abcdefghijklmnop";
    const withSecrets: ChatRequest = {
      ...base,
      providerOptions: {
        openai: { apiKey: secret, headers: { authorization: `Bearer ${secret}` }, user: "u" },
      },
    };
    expect(canonicalRequest(withSecrets, ctx)).not.toContain(secret);
    expect(key(withSecrets)).toBe(key({ ...base, providerOptions: { openai: { user: "u" } } }));
  });

  it("writes a Secret object as [REDACTED], never its value", () => {
    const value = "sk-live-0123456789abcdef";
    expect(canonicalJson({ token: new Secret(value) })).toBe('{"token":"[REDACTED]"}');
  });
});

describe("requestKey memo of tool lists", () => {
  it("gives a different key after a tool list is mutated in place", () => {
    const tools: NonNullable<ChatRequest["tools"]> = [
      { name: "f", parameters: { type: "object" } },
    ];
    const request: ChatRequest = { ...base, tools };
    const before = key(request);
    tools[0]!.parameters = { type: "object", properties: { x: { type: "number" } } };
    expect(key(request)).not.toBe(before);
    tools[0]!.parameters = { type: "object" };
    expect(key(request)).toBe(before);
  });

  it("gives equal tool lists in different objects the same key", () => {
    const make = (): ChatRequest => ({
      ...base,
      tools: [{ name: "f", parameters: { b: 1, a: 2 } }],
    });
    expect(key(make())).toBe(key(make()));
  });

  it("stays correct after more distinct tool lists than the memo holds", () => {
    const request = (i: number): ChatRequest => ({
      ...base,
      tools: [{ name: `tool${i}`, parameters: {} }],
    });
    const first = key(request(0));
    for (let i = 1; i < 600; i++) key(request(i));
    expect(key(request(0))).toBe(first);
    expect(canonicalRequest(request(0), ctx)).toContain(
      '"tools":[{"name":"tool0","parameters":{}}]',
    );
  });
});

describe("canonicalJson", () => {
  it("sorts keys, drops undefined members and writes non-finite numbers as null", () => {
    expect(
      canonicalJson({ b: 1, a: [1, undefined, "x"], c: undefined, d: Number.NaN, e: -0 }),
    ).toBe('{"a":[1,null,"x"],"b":1,"d":null,"e":0}');
  });

  it("matches JSON.stringify for values whose keys are already sorted", () => {
    const value = { a: true, b: null, c: [1.5, 'é\n"q"'], d: { e: false } };
    expect(canonicalJson(value)).toBe(JSON.stringify(value));
  });

  it("writes functions, symbols and bigints as null and skips function members", () => {
    expect(canonicalJson(() => 1)).toBe("null");
    expect(canonicalJson(Symbol("s"))).toBe("null");
    expect(canonicalJson({ f: () => 1, a: 1 })).toBe('{"a":1}');
  });
});

describe("requestKey scope", () => {
  it("differs between provider instances and writes the instance into the canonical form", () => {
    const a = key(base, { scope: "openai https://a.test/v1" });
    const b = key(base, { scope: "openai https://b.test/v1" });
    expect(a).not.toBe(b);
    expect(a).not.toBe(key(base));
    expect(canonicalRequest(base, { ...ctx, scope: "openai https://a.test/v1" })).toContain(
      '"scope":"openai https://a.test/v1"',
    );
  });

  it("is format version 2, so unscoped v1 entries are never read again", () => {
    expect(canonicalRequest(base, ctx).startsWith('{"v":2,')).toBe(true);
  });
});
