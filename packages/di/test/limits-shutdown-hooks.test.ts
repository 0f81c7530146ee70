import { writeFileSync } from "node:fs";
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type ChatRequest, LimitExceededError } from "@llm/core";
import type { HookError } from "@llm/hooks";
import { PoolClosedError } from "@llm/pool";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createLLMContainer, type LLMContainer, TOKENS } from "../src/index.js";
import {
  fourProviderYaml,
  type Mocks,
  packageDir,
  sourceConditions,
  startMocks,
  tempDir,
} from "./helpers.js";

const ask = (content: string): ChatRequest => ({ messages: [{ role: "user", content }] });

let mocks: Mocks;
const tmp = tempDir();
const open: LLMContainer[] = [];
const servers: Array<{ server: Server; sockets: Set<Socket> }> = [];

async function rawServer(handler: RequestListener): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createServer(handler);
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push({ server, sockets });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

async function containerFrom(
  yaml: string,
  watch = false,
): Promise<LLMContainer & { file: string }> {
  const file = tmp.write(`llm-${open.length}.yaml`, yaml);
  const c = await createLLMContainer({
    config: { files: [file], env: {}, ...(watch ? { watch: true, debounceMs: 20 } : {}) },
    baseDir: packageDir,
    conditions: sourceConditions,
  });
  open.push(c);
  return Object.assign(c, { file });
}

const rawClientYaml = (baseURL: string, extra: string) => `
clients:
  raw:
    provider: openai
    model: gpt-4o-mini
    apiKey: sk-test-openai-key-123456
    baseURL: ${baseURL}
${extra}
cache: { enabled: false }
`;

beforeAll(async () => {
  mocks = await startMocks();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.dispose()));
  for (const m of [mocks.openai, mocks.anthropic, mocks.gemini, mocks.ollama]) m.reset();
});
afterAll(async () => {
  for (const { server, sockets } of servers) {
    for (const s of sockets) s.destroy();
    server.close();
  }
  await mocks.close();
  tmp.remove();
});

describe("response limits from config", () => {
  it("applies clients.<name>.limits to the provider: an endless SSE line fails with LimitExceededError", async () => {
    const baseURL = await rawServer((req, res) => {
      req.resume();
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write('data: {"choices":[{"delta":{"content":"');
      const timer = setInterval(() => res.write("x".repeat(8 * 1024)), 1);
      res.on("close", () => clearInterval(timer));
    });
    const c = await containerFrom(rawClientYaml(baseURL, "    limits: { maxLineBytes: 65536 }"));
    const failure = await (async () => {
      for await (const _ of c.clients.get("raw").stream(ask("long line"))) {
        // the first event never completes
      }
    })().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(LimitExceededError);
    expect(failure).toMatchObject({ limit: "lineBytes", max: 65_536 });
  });
});

describe("dispose() with a hung upstream", () => {
  it("resolves at the pool's close deadline and fails the hung call with PoolClosedError", async () => {
    let arrived!: () => void;
    const atServer = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const baseURL = await rawServer((req) => {
      req.resume();
      arrived(); // accepts, never answers
    });
    const c = await containerFrom(rawClientYaml(baseURL, "pool: { closeTimeoutMs: 150 }"));
    const call = c.clients
      .get("raw")
      .generate(ask("hello?"))
      .catch((e: unknown) => e);
    await atServer;
    await c.dispose();
    expect(await call).toBeInstanceOf(PoolClosedError);
  });
});

describe("hook notifications", () => {
  let unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled = [];
    process.on("unhandledRejection", onUnhandled);
  });
  afterEach(() => {
    process.off("unhandledRejection", onUnhandled);
  });

  it("reports rejecting 'propagate' handlers of retry, fallback, cache and config hooks instead of leaving unhandled rejections", async () => {
    const yaml = fourProviderYaml(mocks);
    const c = await containerFrom(yaml, true);
    const hooks = c.get(TOKENS.Hooks);
    const reported: HookError[] = [];
    hooks.onHandlerError((error) => reported.push(error));
    const reject = () => Promise.reject(new Error("handler failed"));
    for (const name of [
      "onRetry",
      "onFallback",
      "onCacheHit",
      "onCacheMiss",
      "onConfigChange",
    ] as const) {
      hooks.hook(name, reject, { name: `strict-${name}`, onError: "propagate" });
    }
    mocks.openai.when(() => true, { status: 503 });
    const first = await c.clients.get("fast").generate(ask("who answers?"));
    const again = await c.clients.get("fast").generate(ask("who answers?"));
    expect(first.provider).toBe("anthropic");
    expect(again.origin.type).toBe("cache");
    const manager = c.get(TOKENS.ConfigManager);
    const changed = new Promise<void>((resolve) => manager.onChange(() => resolve()));
    writeFileSync(c.file, yaml.replace("model: gpt-4o-mini", "model: gpt-4.1-nano"));
    await changed;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(unhandled).toEqual([]);
    expect(new Set(reported.map((e) => e.hook))).toEqual(
      new Set(["onRetry", "onFallback", "onCacheHit", "onCacheMiss", "onConfigChange"]),
    );
  });
});
