import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { type MockProvider, type ProviderName, startMockProvider } from "../src/index.js";
import { json } from "./wire-json.js";

const open: MockProvider[] = [];
async function start(
  provider: ProviderName,
  extra: Partial<Parameters<typeof startMockProvider>[0]> = {},
) {
  const mock = await startMockProvider({ provider, ...extra });
  open.push(mock);
  return mock;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((mock) => mock.close()));
});

const openaiBody = (stream: boolean) =>
  JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], stream });

function postOpenAI(mock: MockProvider, stream: boolean, signal?: AbortSignal) {
  return fetch(`${mock.baseURL}/chat/completions`, {
    method: "POST",
    headers: { authorization: "Bearer k", "content-type": "application/json" },
    body: openaiBody(stream),
    ...(signal ? { signal } : {}),
  });
}

describe("faults", () => {
  it("resets the connection mid-stream after the given number of frames", async () => {
    const mock = await start("openai");
    mock.enqueue({ fault: "reset", afterChunks: 2 });
    const response = await postOpenAI(mock, true);
    expect(response.status).toBe(200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let received = "";
    const error = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return undefined;
        received += new TextDecoder().decode(value);
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(received.split("\n\n").filter((f) => f !== "")).toHaveLength(2);
    expect(mock.stats().faults).toEqual({ reset: 1 });
  });

  it("resets a JSON body halfway, which the client sees as a socket error", async () => {
    const mock = await start("openai");
    mock.enqueue({ fault: "reset" });
    const response = await postOpenAI(mock, false);
    await expect(response.text()).rejects.toThrow();
  });

  it("makes the official SDK fail with a connection error on reset", async () => {
    const mock = await start("openai");
    mock.enqueue({ fault: "reset" });
    const client = new OpenAI({ apiKey: "k", baseURL: mock.baseURL, maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    const error = await (async () => {
      for await (const _ of stream) {
        // drain
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
  });

  it("holds a hang-headers request until close() releases it", async () => {
    const mock = await start("anthropic");
    mock.enqueue({ fault: "hang-headers" });
    const pending = fetch(`${mock.origin}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": "k", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({
        model: "m",
        max_tokens: 5,
        messages: [{ role: "user", content: "x" }],
      }),
    }).then(
      () => "answered",
      () => "failed",
    );
    await waitFor(() => mock.requests.length === 1);
    await mock.close();
    expect(await pending).toBe("failed");
    expect(mock.stats().faults).toEqual({ "hang-headers": 1 });
  });

  it("lets a client abort a held request", async () => {
    const mock = await start("openai");
    mock.enqueue({ fault: "hang-headers" }, { text: "next" });
    const controller = new AbortController();
    const pending = postOpenAI(mock, true, controller.signal).catch((e: unknown) => e);
    await waitFor(() => mock.requests.length === 1);
    controller.abort();
    expect(await pending).toBeInstanceOf(Error);
    const next = await json(await postOpenAI(mock, false));
    expect(next.choices[0].message.content).toBe("next");
  });

  it("sends a truncated JSON body for malformed-json", async () => {
    const mock = await start("openai");
    mock.enqueue({ fault: "malformed-json" });
    const response = await postOpenAI(mock, false);
    expect(response.status).toBe(200);
    await expect(json(response)).rejects.toThrow(SyntaxError);
  });

  it("sends a frame with cut-short JSON in a stream for malformed-json", async () => {
    const mock = await start("openai");
    mock.enqueue({ fault: "malformed-json", afterChunks: 1 });
    const text = await (await postOpenAI(mock, true)).text();
    const frames = text.split("\n\n").filter((f) => f !== "");
    expect(frames).toHaveLength(2);
    expect(() => JSON.parse((frames[1] as string).slice("data: ".length))).toThrow(SyntaxError);
  });

  it("makes the anthropic stream carry a malformed data line", async () => {
    const mock = await start("anthropic");
    mock.enqueue({ fault: "malformed-json", afterChunks: 1 });
    const response = await fetch(`${mock.origin}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": "k", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({
        model: "m",
        max_tokens: 5,
        stream: true,
        messages: [{ role: "user", content: "x" }],
      }),
    });
    const frames = (await response.text()).split("\n\n").filter((f) => f !== "");
    expect(frames[1]?.startsWith("event: content_block_delta\ndata: {")).toBe(true);
    expect(() => JSON.parse((frames[1] as string).split("data: ")[1] as string)).toThrow(
      SyntaxError,
    );
  });

  it("treats error-mid-stream on a JSON request as a cut connection", async () => {
    const mock = await start("gemini");
    mock.enqueue({ fault: "error-mid-stream" });
    const response = await fetch(`${mock.baseURL}/models/g:generateContent?key=k`, {
      method: "POST",
      body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "x" }] }] }),
    });
    await expect(response.text()).rejects.toThrow();
  });

  it("injects random faults deterministically for a given seed", async () => {
    const statuses = async () => {
      const mock = await start("openai", {
        faults: {
          rate: 0.5,
          kinds: ["rate-limit", "server-error", "overloaded", "auth"],
          seed: 42,
        },
      });
      const out: number[] = [];
      for (let i = 0; i < 20; i++) out.push((await postOpenAI(mock, false)).status);
      return { out, stats: mock.stats() };
    };
    const first = await statuses();
    const second = await statuses();
    expect(first.out).toEqual(second.out);
    expect(new Set(first.out).size).toBeGreaterThan(2);
    const faultCount = Object.values(first.stats.faults).reduce((a, b) => a + b, 0);
    expect(faultCount).toBe(first.out.filter((s) => s !== 200).length);
    expect(first.stats.byStatus[200]).toBe(20 - faultCount);
  });

  it("maps injected fault kinds onto each provider's statuses and hints", async () => {
    const anthropic = await start("anthropic", { faults: { rate: 1, kinds: ["overloaded"] } });
    const overloaded = await fetch(`${anthropic.origin}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": "k", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ model: "m", max_tokens: 5, messages: [] }),
    });
    expect(overloaded.status).toBe(529);
    const openai = await start("openai", {
      faults: { rate: 1, kinds: ["rate-limit"], retryAfterMs: 250 },
    });
    const limited = await postOpenAI(openai, false);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after-ms")).toBe("250");
    const gemini = await start("gemini", { faults: { rate: 1, kinds: ["auth"] } });
    const denied = await fetch(`${gemini.baseURL}/models/g:generateContent?key=k`, {
      method: "POST",
      body: JSON.stringify({ contents: [] }),
    });
    expect(denied.status).toBe(400);
    expect((await json(denied)).error.details[0].reason).toBe("API_KEY_INVALID");
  });

  it("injects transport faults chosen at random too", async () => {
    const mock = await start("ollama", { faults: { rate: 1, kinds: ["error-mid-stream"] } });
    const text = await (
      await fetch(`${mock.baseURL}/api/chat`, {
        method: "POST",
        body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hello" }] }),
      })
    ).text();
    expect(text.trimEnd().split("\n").at(-1)).toMatch(/"error"/);
  });

  it("stops injecting once setFaults(undefined) is called", async () => {
    const mock = await start("openai", { faults: { rate: 1, kinds: ["server-error"] } });
    expect((await postOpenAI(mock, false)).status).toBe(500);
    mock.setFaults(undefined);
    expect((await postOpenAI(mock, false)).status).toBe(200);
    mock.setFaults({ rate: 1, kinds: ["server-error"], seed: 3 });
    expect((await postOpenAI(mock, false)).status).toBe(500);
  });

  it("never injects faults into scripted replies", async () => {
    const mock = await start("openai", { faults: { rate: 1, kinds: ["server-error"] } });
    mock.enqueue({ text: "scripted" });
    const body = await json(await postOpenAI(mock, false));
    expect(body.choices[0].message.content).toBe("scripted");
  });
});

describe("latency", () => {
  it("delivers every frame in order with header and chunk delays", async () => {
    const mock = await start("openai", { latency: { headersMs: [1, 5], chunkMs: 1 }, seed: 9 });
    mock.enqueue({ text: "one two three" });
    const text = await (await postOpenAI(mock, true)).text();
    const contents = text
      .split("\n\n")
      .filter((f) => f.startsWith("data: {"))
      .map((f) => JSON.parse(f.slice(6)).choices[0]?.delta.content ?? "");
    expect(contents.join("")).toBe("one two three");
    expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
  });

  it("applies latency to errors, resets and JSON replies set at runtime", async () => {
    const mock = await start("openai");
    mock.setLatency({ headersMs: 2, chunkMs: [1, 2] });
    mock.enqueue({ status: 503 }, { fault: "reset", afterChunks: 2 }, { text: "fine" });
    expect((await postOpenAI(mock, false)).status).toBe(503);
    await expect((await postOpenAI(mock, true)).text()).rejects.toThrow();
    expect((await json(await postOpenAI(mock, false))).choices[0].message.content).toBe("fine");
    mock.setLatency(undefined);
  });

  it("skips the reply of a client that gave up during the header delay", async () => {
    const mock = await start("openai", { latency: { headersMs: 30 } });
    const controller = new AbortController();
    const aborted = postOpenAI(mock, false, controller.signal).catch((e: unknown) => e);
    await waitFor(() => mock.requests.length === 1);
    controller.abort();
    expect(await aborted).toBeInstanceOf(Error);
    mock.setLatency(undefined);
    expect((await postOpenAI(mock, false)).status).toBe(200);
  });

  it("clears pending latency timers on close", async () => {
    const mock = await start("openai", { latency: { headersMs: 60_000 } });
    const pending = postOpenAI(mock, false).then(
      () => "answered",
      () => "failed",
    );
    await waitFor(() => mock.requests.length === 1);
    await mock.close();
    expect(await pending).toBe("failed");
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!condition()) throw new Error("condition not met");
}
