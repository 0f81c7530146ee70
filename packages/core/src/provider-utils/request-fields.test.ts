import { describe, expect, it } from "vitest";
import type { ChatRequest } from "../request.js";
import { requestFieldWriter } from "./request-fields.js";

const messages: ChatRequest["messages"] = [{ role: "user", content: "hi" }];

interface Body {
  temperature?: number;
  max_tokens?: number;
  random_seed?: number;
  stop?: string[];
  tools?: string[];
  tool_choice?: unknown;
}

const write = requestFieldWriter<Body>({
  maxTokens: "max_tokens",
  temperature: "temperature",
  stop: "stop",
  seed: "random_seed",
  tools: { key: "tools", convert: (tools) => tools.map((tool) => tool.name) },
  toolChoice: "tool_choice",
});

describe("requestFieldWriter", () => {
  it("writes each field the request sets under its wire name, in the table's order", () => {
    const body: Body = {};
    const wrote = write(body, { messages, temperature: 0.2, seed: 7, maxTokens: 9 }, undefined);
    expect(wrote).toBe(true);
    expect(JSON.stringify(body)).toBe('{"max_tokens":9,"temperature":0.2,"random_seed":7}');
  });

  it("fills a field the request leaves unset from the defaults; the request wins", () => {
    const body: Body = {};
    write(body, { messages, temperature: 0 }, { temperature: 1, maxTokens: 64, stop: ["END"] });
    expect(body).toEqual({ max_tokens: 64, temperature: 0, stop: ["END"] });
  });

  it("leaves out unset fields and empty arrays, and reports it wrote nothing", () => {
    const body: Body = {};
    expect(write(body, { messages, stop: [], tools: [] }, { stop: [] })).toBe(false);
    expect(body).toEqual({});
  });

  it("converts a field where the table says how", () => {
    const body: Body = {};
    write(
      body,
      { messages, tools: [{ name: "a", parameters: {} }], toolChoice: "auto" },
      undefined,
    );
    expect(body).toEqual({ tools: ["a"], tool_choice: "auto" });
  });

  it("keeps a seeded key's place when it overwrites it", () => {
    const body: Body & { model?: string } = { model: "m", max_tokens: 4096 };
    write(body, { messages, temperature: 1, maxTokens: 5 }, undefined);
    expect(JSON.stringify(body)).toBe('{"model":"m","max_tokens":5,"temperature":1}');
  });

  it("never takes a tool or a format from the defaults", () => {
    const body: Body = {};
    const defaults = { toolChoice: "required" } as unknown as Parameters<typeof write>[2];
    expect(write(body, { messages }, defaults)).toBe(false);
    expect(body).toEqual({});
  });
});
