import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AbortError,
  ConfigError,
  LimitExceededError,
  NetworkError,
  ParseError,
  TimeoutError,
} from "../errors/errors.js";
import { collect } from "../test-support/bytes.js";
import { startServer, type TestServer } from "../test-support/http-server.js";
import { createFetchTransport, defaultTransport } from "./fetch-transport.js";

let server: TestServer;

beforeAll(async () => {
  server = await startServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/echo") {
      let body = "";
      req.on("data", (c: Buffer) => {
        body += c.toString();
      });
      req.on("end", () => {
        res.writeHead(201, { "Content-Type": "application/json", "X-Request-Id": "req_1" });
        res.end(JSON.stringify({ method: req.method, auth: req.headers.authorization, body }));
      });
      return;
    }
    if (path === "/chunks") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("one,");
      setTimeout(() => res.end("two"), 5);
      return;
    }
    if (path === "/not-json") {
      res.writeHead(200);
      res.end("<html>");
      return;
    }
    if (path === "/hang-headers") return; // never answers
    if (path === "/stall-body") {
      res.writeHead(200);
      res.write("first");
      return; // never ends
    }
    if (path === "/reset-body") {
      res.writeHead(200, { "content-length": "100" });
      res.write("partial");
      setTimeout(() => req.socket.destroy(), 5);
      return;
    }
    if (path === "/big-declared") {
      res.writeHead(200, { "content-length": "2000" });
      res.end("x".repeat(2000));
      return;
    }
    if (path === "/big-chunked") {
      // No content-length: only counting the bytes as they arrive can stop it.
      res.writeHead(200, { "content-type": "application/json" });
      res.write(`"${"y".repeat(600)}`);
      res.write("y".repeat(600));
      res.end(`${"y".repeat(600)}"`);
      return;
    }
    if (path === "/empty") {
      res.writeHead(204);
      res.end();
      return;
    }
    res.writeHead(404);
    res.end("no");
  });
});

afterAll(() => server.close());

const transport = createFetchTransport();

describe("createFetchTransport", () => {
  it("returns the status, lower-cased headers and the body", async () => {
    const response = await transport.request({
      url: `${server.url}/echo`,
      method: "POST",
      headers: { Authorization: "Bearer t0ken-value" },
      body: "hello",
    });
    expect(response.status).toBe(201);
    expect(response.headers["x-request-id"]).toBe("req_1");
    expect(await response.json()).toEqual({
      method: "POST",
      auth: "Bearer t0ken-value",
      body: "hello",
    });
  });

  it("streams the body chunk by chunk", async () => {
    const response = await transport.request({
      url: `${server.url}/chunks`,
      method: "GET",
      headers: {},
    });
    const chunks = await collect(response.body);
    expect(Buffer.concat(chunks).toString()).toBe("one,two");
  });

  it("refuses to hand out the body twice", async () => {
    const response = await transport.request({
      url: `${server.url}/chunks`,
      method: "GET",
      headers: {},
    });
    expect(await response.text()).toBe("one,two");
    await expect(response.text()).rejects.toBeInstanceOf(NetworkError);
  });

  it("throws ParseError for a body that is not JSON", async () => {
    const response = await transport.request({
      url: `${server.url}/not-json`,
      method: "GET",
      headers: {},
    });
    await expect(response.json()).rejects.toBeInstanceOf(ParseError);
  });

  it("refuses a body whose content-length is over maxBodyBytes, naming it", async () => {
    const small = createFetchTransport({ maxBodyBytes: 1000 });
    const response = await small.request({
      url: `${server.url}/big-declared?key=secret`,
      method: "GET",
      headers: {},
    });
    const error = await response.text().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LimitExceededError);
    expect(error).toMatchObject({ limit: "bodyBytes", max: 1000, value: 2000 });
    expect((error as LimitExceededError).where).toBe(`${server.url}/big-declared response body`);
  });

  it("stops reading a body without content-length once it passes maxBodyBytes", async () => {
    const small = createFetchTransport({ maxBodyBytes: 1000 });
    const response = await small.request({
      url: `${server.url}/big-chunked`,
      method: "GET",
      headers: {},
    });
    const error = await response.json().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LimitExceededError);
    expect((error as LimitExceededError).value).toBeGreaterThan(1000);
  });

  it("reads a body of up to maxBodyBytes", async () => {
    const fits = createFetchTransport({ maxBodyBytes: 2000 });
    const response = await fits.request({
      url: `${server.url}/big-declared`,
      method: "GET",
      headers: {},
    });
    expect(await response.text()).toHaveLength(2000);
  });

  it("rejects a maxBodyBytes below 1 with a ConfigError", () => {
    expect(() => createFetchTransport({ maxBodyBytes: 0 })).toThrow(ConfigError);
    expect(() => createFetchTransport({ maxBodyBytes: Number.NaN })).toThrow(ConfigError);
  });

  it("gives an empty body for 204", async () => {
    const response = await transport.request({
      url: `${server.url}/empty`,
      method: "GET",
      headers: {},
    });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
  });

  it("cancels an unread body", async () => {
    const response = await transport.request({
      url: `${server.url}/stall-body`,
      method: "GET",
      headers: {},
    });
    await response.cancel();
    await response.cancel();
    await expect(response.text()).rejects.toBeInstanceOf(NetworkError);
  });

  it("stops reading and releases the body when the consumer breaks", async () => {
    const response = await transport.request({
      url: `${server.url}/stall-body`,
      method: "GET",
      headers: {},
    });
    const seen: string[] = [];
    for await (const chunk of response.body) {
      seen.push(Buffer.from(chunk).toString());
      break;
    }
    expect(seen).toEqual(["first"]);
  });

  it("throws TimeoutError first-byte when headers never come", async () => {
    const error = await transport
      .request({
        url: `${server.url}/hang-headers`,
        method: "GET",
        headers: {},
        headersTimeoutMs: 50,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).phase).toBe("first-byte");
  });

  it("throws TimeoutError idle when the body stalls", async () => {
    const response = await transport.request({
      url: `${server.url}/stall-body`,
      method: "GET",
      headers: {},
      bodyTimeoutMs: 50,
    });
    const error = await response.text().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).phase).toBe("idle");
  });

  it("throws AbortError when the caller aborts while waiting for headers", async () => {
    const controller = new AbortController();
    const pending = transport.request({
      url: `${server.url}/hang-headers`,
      method: "GET",
      headers: {},
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toBeInstanceOf(AbortError);
  });

  it("throws AbortError for an already aborted signal", async () => {
    await expect(
      transport.request({
        url: `${server.url}/echo`,
        method: "GET",
        headers: {},
        signal: AbortSignal.abort(),
      }),
    ).rejects.toBeInstanceOf(AbortError);
  });

  it("throws AbortError when the caller aborts mid-body", async () => {
    const controller = new AbortController();
    const response = await transport.request({
      url: `${server.url}/stall-body`,
      method: "GET",
      headers: {},
      signal: controller.signal,
    });
    const reading = response.text();
    setTimeout(() => controller.abort(), 10);
    await expect(reading).rejects.toBeInstanceOf(AbortError);
  });

  it("throws NetworkError when the connection is refused, without the query string", async () => {
    const closed = await startServer(() => {});
    const url = closed.url;
    await closed.close();
    const error = await transport
      .request({ url: `${url}/v1?key=AIzaSyDUMMYDUMMYDUMMYDUMMY12345`, method: "GET", headers: {} })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).message).toContain(`${url}/v1`);
    expect((error as NetworkError).message).not.toContain("AIza");
  });

  it("throws NetworkError when the connection resets mid-body", async () => {
    const response = await transport.request({
      url: `${server.url}/reset-body`,
      method: "GET",
      headers: {},
    });
    await expect(response.text()).rejects.toBeInstanceOf(NetworkError);
  });

  it("uses the fetch it was given", async () => {
    const calls: string[] = [];
    const custom = createFetchTransport({
      fetch: async (input) => {
        calls.push(String(input));
        return new Response("ok", { status: 200, headers: { "X-Thing": "1" } });
      },
    });
    const response = await custom.request({
      url: "http://example.test/x",
      method: "GET",
      headers: {},
    });
    expect(calls).toEqual(["http://example.test/x"]);
    expect(response.headers).toEqual({
      "content-type": "text/plain;charset=UTF-8",
      "x-thing": "1",
    });
    expect(await response.text()).toBe("ok");
  });

  it("wraps a non-Error rejection of fetch as NetworkError", async () => {
    const custom = createFetchTransport({ fetch: () => Promise.reject("boom") });
    const error = await custom
      .request({ url: "not a url", method: "GET", headers: {} })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).message).toContain("<invalid url>");
  });
});

describe("defaultTransport", () => {
  it("returns one shared instance", () => {
    expect(defaultTransport()).toBe(defaultTransport());
  });
});
