import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  InvalidRequestError,
  LimitExceededError,
  ParseError,
  RateLimitError,
} from "../errors/index.js";
import { collect } from "../test-support/bytes.js";
import { startServer, type TestServer } from "../test-support/http-server.js";
import { createFetchTransport } from "../transport/fetch-transport.js";
import type { TransportResponse } from "../transport.js";
import { readBodyWithin, readBounded, sendJSON, sendStream } from "./send.js";

let server: TestServer;
const seen: Array<{ method: string; headers: Record<string, unknown>; body: string }> = [];

beforeAll(async () => {
  server = await startServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      seen.push({ method: req.method ?? "", headers: req.headers, body });
      switch (req.url) {
        case "/ok":
          res.writeHead(200, { "content-type": "application/json", "x-request-id": "r1" });
          res.end('{"id":"x","n":1}');
          return;
        case "/sse":
          res.writeHead(200, { "content-type": "text/event-stream" });
          res.end("data: 1\n\n");
          return;
        case "/429":
          res.writeHead(429, { "retry-after-ms": "120" });
          res.end('{"error":{"message":"slow down","type":"rate_limit"}}');
          return;
        case "/huge-error":
          res.writeHead(400);
          res.write("e".repeat(70_000));
          return; // never ends: only the bounded prefix may be read
        case "/html":
          res.writeHead(200);
          res.end("<html>");
          return;
        default:
          res.writeHead(404);
          res.end();
      }
    });
  });
});

afterAll(() => server.close());
const transport = createFetchTransport();

describe("sendJSON", () => {
  it("POSTs the JSON body and returns the parsed answer with status and headers", async () => {
    const result = await sendJSON(transport, {
      provider: "openai",
      url: `${server.url}/ok`,
      headers: { Authorization: "Bearer k" },
      body: { model: "m" },
    });
    expect(result).toEqual({
      value: { id: "x", n: 1 },
      status: 200,
      headers: expect.objectContaining({ "x-request-id": "r1" }),
    });
    const last = seen.at(-1);
    expect(last?.method).toBe("POST");
    expect(last?.body).toBe('{"model":"m"}');
    expect(last?.headers["content-type"]).toBe("application/json");
    expect(last?.headers.authorization).toBe("Bearer k");
  });

  it("GETs when there is no body", async () => {
    await sendJSON(transport, { provider: "x", url: `${server.url}/ok` });
    expect(seen.at(-1)?.method).toBe("GET");
  });

  it("maps a non-2xx answer with the default mapping", async () => {
    const error = await sendJSON(transport, {
      provider: "openai",
      url: `${server.url}/429`,
      body: "{}",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(120);
  });

  it("passes status, headers and the bounded body to a custom mapError", async () => {
    let bodyLength = -1;
    const error = await sendJSON(transport, {
      provider: "p",
      url: `${server.url}/huge-error`,
      body: {},
      mapError: (info) => {
        bodyLength = info.bodyText.length;
        return new InvalidRequestError(`custom ${info.status} from ${info.provider}`);
      },
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe("custom 400 from p");
    expect(bodyLength).toBe(64 * 1024);
  });

  it("throws ParseError for a 200 body that is not JSON", async () => {
    const error = await sendJSON(transport, { provider: "p", url: `${server.url}/html` }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).where).toBe("response body of p /html");
  });
});

describe("sendStream", () => {
  it("returns the body as bytes", async () => {
    const result = await sendStream(transport, {
      provider: "p",
      url: `${server.url}/sse`,
      body: { stream: true },
      headersTimeoutMs: 5000,
      bodyTimeoutMs: 5000,
      signal: new AbortController().signal,
      method: "POST",
    });
    expect(result.status).toBe(200);
    expect(Buffer.concat(await collect(result.body)).toString()).toBe("data: 1\n\n");
  });

  it("maps a non-2xx answer before any body is handed out", async () => {
    const error = await sendStream(transport, {
      provider: "openai",
      url: `${server.url}/429`,
      body: { stream: true },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(120);
  });
});

describe("readBodyWithin", () => {
  /** A response whose body is `chunks`, declaring `contentLength` when given. */
  const responseOf = (chunks: string[], contentLength?: number): TransportResponse => {
    const bytes = chunks.map((c) => new TextEncoder().encode(c));
    return {
      status: 200,
      headers: contentLength === undefined ? {} : { "content-length": String(contentLength) },
      body: (async function* () {
        yield* bytes;
      })(),
      text: () => Promise.reject(new Error("unused")),
      json: () => Promise.reject(new Error("unused")),
      cancel: () => Promise.resolve(),
    };
  };

  it("joins the chunks of a body within the bound", async () => {
    expect(await readBodyWithin(responseOf(['{"a":', "1}"]), 7, "unused")).toBe('{"a":1}');
  });

  it("names the body with the given string when it passes the bound", async () => {
    const error = await readBodyWithin(responseOf(["12345", "678"]), 6, "the body").catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LimitExceededError);
    expect(error).toMatchObject({ max: 6, value: 8, where: "the body" });
  });

  it("calls a where function only when the declared length is over the bound", async () => {
    let calls = 0;
    const where = () => {
      calls++;
      return "declared body";
    };
    expect(await readBodyWithin(responseOf(["ok"], 2), 10, where)).toBe("ok");
    expect(calls).toBe(0);
    const error = await readBodyWithin(responseOf([], 50), 10, where).catch((e: unknown) => e);
    expect(error).toMatchObject({ max: 10, value: 50, where: "declared body" });
    expect(calls).toBe(1);
  });
});

describe("readBounded", () => {
  it("returns what arrived when the body breaks", async () => {
    async function* body() {
      yield new TextEncoder().encode("abc");
      throw new Error("reset");
    }
    const response = { body: body() } as unknown as TransportResponse;
    expect(await readBounded(response, 100)).toBe("abc");
  });
});
