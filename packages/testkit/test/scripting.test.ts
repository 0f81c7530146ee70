import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type MockProvider, type RecordedRequest, startMockProvider } from "../src/index.js";
import { json } from "./wire-json.js";

let mock: MockProvider;

beforeAll(async () => {
  mock = await startMockProvider({ provider: "openai" });
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

async function ask(content: string, extra: Record<string, unknown> = {}) {
  const response = await fetch(`${mock.baseURL}/chat/completions?trace=1`, {
    method: "POST",
    headers: {
      authorization: "Bearer sk-x",
      "content-type": "application/json",
      "X-Custom": "Yes",
    },
    body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content }], ...extra }),
  });
  const body = await json(response);
  return {
    status: response.status,
    text: body.choices?.[0]?.message.content as string | undefined,
    body,
  };
}

const lastContent = (r: RecordedRequest) =>
  ((r.body as { messages: { content: string }[] }).messages.at(-1)?.content ?? "") as string;

describe("scripted replies", () => {
  it("answers queued replies first in, first out", async () => {
    mock.enqueue({ text: "first" }, { text: "second" });
    expect((await ask("a")).text).toBe("first");
    expect((await ask("a")).text).toBe("second");
    expect((await ask("a")).text).not.toMatch(/^(first|second)$/);
  });

  it("prefers a matching rule over the queue", async () => {
    mock.enqueue({ text: "queued" });
    mock.when((r) => lastContent(r).includes("special"), { text: "matched" });
    expect((await ask("special please")).text).toBe("matched");
    expect((await ask("ordinary")).text).toBe("queued");
    expect((await ask("special again")).text).toBe("matched");
  });

  it("drops a rule after it answered `times` requests", async () => {
    mock.when(() => true, { status: 500 }, { times: 2 });
    expect((await ask("x")).status).toBe(500);
    expect((await ask("x")).status).toBe(500);
    expect((await ask("x")).status).toBe(200);
  });

  it("builds a rule's reply from the request when given a function", async () => {
    mock.when(
      () => true,
      (r) => ({ text: `echo: ${lastContent(r)}` }),
    );
    expect((await ask("ping")).text).toBe("echo: ping");
  });

  it("sends a 2xx status reply's body as JSON", async () => {
    mock.enqueue({ status: 200, body: { custom: true } });
    expect((await ask("x")).body).toEqual({ custom: true });
  });

  it("overrides the model and adds headers on a completion reply", async () => {
    mock.enqueue({ text: "x", model: "gpt-4o-2024-08-06", headers: { "x-extra": "1" } });
    const response = await fetch(`${mock.baseURL}/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer k" },
      body: JSON.stringify({ model: "gpt-4o", messages: [] }),
    });
    expect(response.headers.get("x-extra")).toBe("1");
    expect((await json(response)).model).toBe("gpt-4o-2024-08-06");
  });

  it("uses a custom responder and falls back when it returns undefined", async () => {
    const custom = await startMockProvider({
      provider: "openai",
      responder: (r) => (lastContent(r) === "custom" ? { text: "from responder" } : undefined),
    });
    try {
      const post = (content: string) =>
        fetch(`${custom.baseURL}/chat/completions`, {
          method: "POST",
          headers: { authorization: "Bearer k" },
          body: JSON.stringify({ model: "m", messages: [{ role: "user", content }] }),
        }).then(json);
      expect((await post("custom")).choices[0].message.content).toBe("from responder");
      expect((await post("other")).choices[0].message.content).not.toBe("from responder");
    } finally {
      await custom.close();
    }
  });

  it("answers 500 naming the problem when a responder throws", async () => {
    mock.when(
      () => true,
      () => {
        throw new Error("boom");
      },
    );
    const { status, body } = await ask("x");
    expect(status).toBe(500);
    expect(body.error.message).toBe("mock responder failed: boom");
  });

  it("answers 500 naming an unknown fixture", async () => {
    mock.enqueue({ fixture: "openai/does-not-exist" });
    const { status, body } = await ask("x");
    expect(status).toBe(500);
    expect(body.error.message).toMatch(/Unknown fixture "openai\/does-not-exist"/);
  });

  it("answers 500 when a fixture lacks the requested form", async () => {
    const anthropic = await startMockProvider({ provider: "anthropic" });
    try {
      anthropic.enqueue({ fixture: "anthropic/duplicate-message-start" });
      const response = await fetch(`${anthropic.origin}/v1/messages`, {
        method: "POST",
        headers: { "x-api-key": "k", "anthropic-version": "2023-06-01" },
        body: JSON.stringify({ model: "m", max_tokens: 5, messages: [] }),
      });
      expect(response.status).toBe(500);
      expect((await json(response)).error.message).toMatch(/has no \.json/);
      anthropic.enqueue({ fixture: "anthropic/anthropic-refusal" });
      const gemini = await startMockProvider({ provider: "gemini" });
      try {
        gemini.enqueue({ fixture: "gemini/google-429-retry-info" });
        const stream = await fetch(
          `${gemini.baseURL}/models/g:streamGenerateContent?alt=sse&key=k`,
          {
            method: "POST",
            body: JSON.stringify({ contents: [] }),
          },
        );
        expect(stream.status).toBe(500);
        expect((await json(stream)).error.message).toMatch(/has no \.chunks\.txt/);
      } finally {
        await gemini.close();
      }
    } finally {
      await anthropic.close();
    }
  });

  it("answers invalid JSON with 400", async () => {
    const response = await fetch(`${mock.baseURL}/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer k" },
      body: "{not json",
    });
    expect(response.status).toBe(400);
    expect((await json(response)).error.message).toMatch(/could not parse the JSON body/);
  });
});

describe("recorded requests and stats", () => {
  it("records method, path, query, lower-cased headers, parsed body, stream flag and model", async () => {
    await ask("hello", { stream: false });
    const [recorded] = mock.requests;
    expect(recorded).toMatchObject({
      method: "POST",
      path: "/v1/chat/completions",
      query: { trace: "1" },
      stream: false,
      model: "gpt-4o-mini",
    });
    expect(recorded?.headers["x-custom"]).toBe("Yes");
    expect(recorded?.headers.authorization).toBe("Bearer sk-x");
    expect(recorded?.body).toMatchObject({ messages: [{ role: "user", content: "hello" }] });
    expect(typeof recorded?.at).toBe("number");
  });

  it("counts requests by status and resets everything", async () => {
    mock.enqueue({ status: 429 }, { text: "ok" }, { text: "left over" });
    await ask("a");
    await ask("b");
    expect(mock.stats()).toMatchObject({ requests: 2, byStatus: { 200: 1, 429: 1 } });
    mock.reset();
    expect(mock.requests).toHaveLength(0);
    expect(mock.stats()).toMatchObject({ requests: 0, byStatus: {}, faults: {} });
    expect((await ask("c")).text).not.toBe("left over");
  });

  it("keeps connections alive across requests", async () => {
    const fresh = await startMockProvider({ provider: "ollama" });
    try {
      for (let i = 0; i < 10; i++) {
        await json(await fetch(`${fresh.baseURL}/api/tags`));
      }
      // fetch may open a second socket while the first is being returned to its pool.
      expect(fresh.stats().connections).toBeLessThanOrEqual(2);
      expect(fresh.stats().openConnections).toBe(fresh.stats().connections);
    } finally {
      await fresh.close();
    }
  });

  it("keeps only the newest maxRecorded requests", async () => {
    const capped = await startMockProvider({ provider: "ollama", maxRecorded: 2 });
    const none = await startMockProvider({ provider: "ollama", maxRecorded: 0 });
    try {
      for (const name of ["a", "b", "c"]) {
        await (await fetch(`${capped.baseURL}/api/tags?n=${name}`)).text();
        await (await fetch(`${none.baseURL}/api/tags`)).text();
      }
      expect(capped.requests.map((r) => r.query.n)).toEqual(["b", "c"]);
      expect(capped.stats().requests).toBe(3);
      expect(none.requests).toHaveLength(0);
      expect(none.stats().requests).toBe(3);
    } finally {
      await Promise.all([capped.close(), none.close()]);
    }
  });

  it("closes idempotently", async () => {
    const fresh = await startMockProvider({ provider: "openai", port: 0, host: "127.0.0.1" });
    await Promise.all([fresh.close(), fresh.close()]);
    await expect(fetch(`${fresh.baseURL}/models`)).rejects.toThrow();
  });

  it("rejects an unknown provider and a port in use with clear errors", async () => {
    await expect(startMockProvider({ provider: "cohere" as never })).rejects.toThrow(
      /unknown provider "cohere"; expected one of openai, anthropic, gemini, ollama/,
    );
    await expect(startMockProvider({ provider: "openai", port: mock.port })).rejects.toThrow(
      /EADDRINUSE/,
    );
  });
});

describe("determinism", () => {
  it("gives the same answer to the same request across servers with the same seed", async () => {
    const a = await startMockProvider({ provider: "openai", seed: 7 });
    const b = await startMockProvider({ provider: "openai", seed: 7 });
    const c = await startMockProvider({ provider: "openai", seed: 8 });
    try {
      const post = (m: MockProvider, content: string) =>
        fetch(`${m.baseURL}/chat/completions`, {
          method: "POST",
          headers: { authorization: "Bearer k" },
          body: JSON.stringify({ model: "m", messages: [{ role: "user", content }] }),
        })
          .then(json)
          .then((body) => body.choices[0].message.content as string);
      const first = await post(a, "What is a cache?");
      expect(await post(b, "What is a cache?")).toBe(first);
      expect(await post(a, "What is a cache?")).toBe(first);
      expect(await post(a, "Something else")).not.toBe(first);
      expect(await post(c, "What is a cache?")).not.toBe(first);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it("estimates plausible token counts from the text lengths", async () => {
    const prompt = "x".repeat(400);
    const { body } = await ask(prompt);
    expect(body.usage.prompt_tokens).toBe(100);
    const text = body.choices[0].message.content as string;
    expect(body.usage.completion_tokens).toBe(Math.ceil(text.length / 4));
  });
});
