import type { IncomingMessage } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbortError, TimeoutError } from "../errors/index.js";
import { startServer, type TestServer } from "../test-support/http-server.js";
import { createFetchTransport } from "../transport/fetch-transport.js";
import type { Transport, TransportRequest } from "../transport.js";
import { callJSON, withCallOptions } from "./call-json.js";
import type { SendOptions } from "./send.js";

let server: TestServer;
const seen: Array<{ url: string; headers: IncomingMessage["headers"] }> = [];

beforeAll(async () => {
  server = await startServer((req, res) => {
    seen.push({ url: req.url ?? "", headers: req.headers });
    req.resume();
    req.on("end", () => {
      if (req.url === "/hang") return; // never answers: only a deadline ends the call
      res.writeHead(200, { "content-type": "application/json", "x-request-id": "r1" });
      res.end('{"ok":true}');
    });
  });
});

afterAll(() => server.close());

const transport = createFetchTransport();
const send = (path: string): SendOptions => ({
  provider: "test",
  url: `${server.url}${path}`,
  headers: { "x-static": "s" },
  body: { q: 1 },
});

describe("callJSON", () => {
  it("returns the parsed answer with its status and headers", async () => {
    const result = await callJSON(transport, send("/ok"), undefined);
    expect(result).toEqual({
      value: { ok: true },
      status: 200,
      headers: expect.objectContaining({ "x-request-id": "r1" }),
    });
  });

  it("sends the call's headers over the static ones", async () => {
    seen.length = 0;
    await callJSON(transport, send("/ok"), { headers: { "x-call": "c", "x-static": "over" } });
    expect(seen[0]?.headers["x-call"]).toBe("c");
    expect(seen[0]?.headers["x-static"]).toBe("over");
  });

  it("ends a call that outlives timeoutMs with a total TimeoutError", async () => {
    const error = await callJSON(transport, send("/hang"), { timeoutMs: 50 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ phase: "total", timeoutMs: 50 });
  });

  it("refuses an already-aborted signal without sending", async () => {
    seen.length = 0;
    const controller = new AbortController();
    controller.abort();
    await expect(
      callJSON(transport, send("/ok"), { signal: controller.signal }),
    ).rejects.toBeInstanceOf(AbortError);
    expect(seen).toHaveLength(0);
  });

  it("passes the caller's signal and the first-token / idle timeouts to the transport", async () => {
    const requests: TransportRequest[] = [];
    const recording: Transport = {
      request: (request) => {
        requests.push(request);
        return transport.request(request);
      },
    };
    const controller = new AbortController();
    await callJSON(recording, send("/ok"), {
      signal: controller.signal,
      firstTokenTimeoutMs: 1_000,
      idleTimeoutMs: 2_000,
    });
    expect(requests[0]?.signal).toBe(controller.signal);
    expect(requests[0]?.headersTimeoutMs).toBe(1_000);
    expect(requests[0]?.bodyTimeoutMs).toBe(2_000);
  });
});

describe("withCallOptions", () => {
  it("keeps the shared static headers object when the call brings no headers", () => {
    const options = send("/ok");
    const headers = options.headers;
    expect(withCallOptions(options, undefined, undefined).headers).toBe(headers);
    expect(withCallOptions(options, undefined, { timeoutMs: 5 }).headers).toBe(headers);
    expect(headers).toEqual({ "x-static": "s" });
  });

  it("sets the signal even without call options", () => {
    const signal = new AbortController().signal;
    expect(withCallOptions(send("/ok"), signal, undefined).signal).toBe(signal);
  });
});
