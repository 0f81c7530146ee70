import { createHash } from "node:crypto";
import type { ChatRequest } from "@llm/core";
import { Secret } from "@llm/core";
import fc from "fast-check";
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

describe("requestKey of tool lists", () => {
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

describe("requestKey stability", () => {
  // Keys are stored (SQLite, Redis): a faster writer must not change them, or
  // every entry written before an upgrade would silently miss. These hashes
  // were computed by the previous writer (string-per-member, memoised tools).
  const stableRequest: ChatRequest = {
    model: "gpt-4o-mini",
    messages: [
      { role: "system", content: "You answer in one sentence." },
      {
        role: "user",
        content: [{ type: "text", text: "Find 'Night Sky' in paperback, \"under\" 20 €." }],
      },
      {
        role: "assistant",
        content: [
          {
            type: "tool-call",
            toolCallId: "c1",
            toolName: "search",
            input: { q: "Night Sky", format: "paperback" },
          },
        ],
      },
      {
        role: "tool",
        content: [
          {
            type: "tool-result",
            toolCallId: "c1",
            toolName: "search",
            output: { hits: [{ id: 2290, price: 12.5 }] },
          },
        ],
      },
      { role: "user", content: "And the box set?\n" },
    ],
    tools: [
      {
        name: "search",
        description: "Searches the catalogue.",
        parameters: {
          type: "object",
          properties: {
            q: { type: "string" },
            format: { type: "string", enum: ["paperback", "ebook"] },
            maxPrice: { type: "number" },
          },
          required: ["q"],
          additionalProperties: false,
        },
      },
    ],
    responseFormat: {
      type: "json_schema",
      name: "answer",
      schema: { type: "object", properties: { text: { type: "string" } } },
    },
    stop: ["\n\n", "END"],
    temperature: 0,
    providerOptions: { openai: { user: "u-1", logprobs: true } },
  };
  const scoped = { ...ctx, scope: "openai https://api.openai.com/v1" };

  it("keeps the key of a request with parts, tool calls, tools and schemas", () => {
    expect(key(stableRequest, scoped)).toBe(
      "fae0c69ec5502ad10a2ef955a2b7a5fb67d7f8e15f9f3178cdfe3b8101dfd421",
    );
  });

  it("keeps the key of a text-only conversation", () => {
    const textOnly: ChatRequest = {
      messages: [
        { role: "user", content: "hi" },
        { role: "assistant", content: [{ type: "text", text: "yo" }] },
      ],
    };
    expect(key(textOnly, scoped)).toBe(
      "747120abd9008b24d5c2339b1ee8cf7ea749955ca39c5941233d3a7fec7a0c50",
    );
  });

  it("writes a text-only conversation and the same one with a tool call in one form", () => {
    const messages: ChatRequest["messages"] = [
      { role: "system", content: 'Be "brief".' },
      { role: "user", content: [{ type: "text", text: "line\nbreak \u2028 ✓" }] },
    ];
    const withCall: ChatRequest["messages"] = [
      ...messages,
      {
        role: "assistant",
        content: [{ type: "tool-call", toolCallId: "c", toolName: "f", input: {} }],
      },
    ];
    const plain = canonicalRequest({ messages }, ctx);
    const mixed = canonicalRequest({ messages: withCall }, ctx);
    const written = (text: string) => text.slice(text.indexOf('"messages":[') + 12);
    expect(written(mixed).startsWith(written(plain).slice(0, -2))).toBe(true);
    expect(plain).toContain(
      '"messages":[{"role":"system","content":"Be \\"brief\\"."},{"role":"user","content":"line\\nbreak \u2028 ✓"}]',
    );
  });
});

/**
 * The specification canonicalJson must match, written the obvious way: keys
 * sorted with the built-in sort, every leaf through JSON.stringify. (A sorted
 * copy through JSON.stringify would not do: objects put integer-like keys first.)
 */
function reference(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(reference).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .filter((name) => record[name] !== undefined)
      .map((name) => `${JSON.stringify(name)}:${reference(record[name])}`);
    return `{${members.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

describe("canonicalJson", () => {
  it("writes what JSON.stringify writes for the same value with every object's keys sorted", () => {
    // Keys from the full UTF-16 range (escapes, lone surrogates, integer-like
    // names), objects large enough to take the built-in sort.
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        fc.string({ unit: "binary", maxLength: 300 }),
        fc.string({ unit: "grapheme", maxLength: 40 }),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.constant(undefined),
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(
          fc.oneof(fc.string({ unit: "binary", maxLength: 6 }), fc.nat(30).map(String)),
          tie("value"),
          { maxKeys: 16 },
        ),
      ),
    })).value;
    fc.assert(
      fc.property(json, (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 200 },
    );
  });

  it("writes a string longer than the short-string path like JSON.stringify", () => {
    const long = `${"a".repeat(300)}"\u0001\ud800`;
    expect(canonicalJson(long)).toBe(JSON.stringify(long));
    expect(canonicalJson({ k: long })).toBe(`{"k":${JSON.stringify(long)}}`);
  });

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
