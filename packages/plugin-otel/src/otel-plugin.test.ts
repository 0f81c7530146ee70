import {
  type ChatRequest,
  compose,
  type LLMClient,
  RateLimitError,
  type StreamEvent,
} from "@llm/core";
import { Hooks, hooksMiddleware } from "@llm/hooks";
import { type PluginLogger, PluginManager } from "@llm/plugins";
import { SpanStatusCode } from "@opentelemetry/api";
import {
  AggregationTemporality,
  type DataPoint,
  type Histogram,
  MeterProvider,
  MetricReader,
} from "@opentelemetry/sdk-metrics";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createOtelPlugin, plugin as defaultPlugin } from "./otel-plugin.js";

class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

const silent: PluginLogger = { debug() {}, info() {}, warn() {}, error() {} };
const usage = { inputTokens: 11, outputTokens: 7, totalTokens: 18 };

function client(fail = false): LLMClient {
  return {
    provider: "openai",
    async generate(request) {
      if (fail) throw new RateLimitError("slow down", { retryAfterMs: 5 });
      return {
        id: "resp_1",
        model: request.model ?? "gpt-x",
        provider: "openai",
        text: "Paris",
        content: [{ type: "text", text: "Paris" }],
        toolCalls: [],
        finishReason: "stop",
        usage,
        requestId: "req_9",
        origin: request.metadata?.cached
          ? { type: "cache", level: "l1", key: "k", ageMs: 3 }
          : { type: "upstream" },
      };
    },
    async *stream() {
      const events: StreamEvent[] = [
        {
          type: "start",
          id: "s1",
          model: "gpt-x",
          provider: "openai",
          origin: { type: "upstream" },
        },
        { type: "text-delta", delta: "Pa" },
        { type: "text-delta", delta: "ris" },
        { type: "finish", finishReason: "stop", usage },
      ];
      yield* events;
    },
  };
}

const request: ChatRequest = {
  model: "gpt-x",
  temperature: 0,
  maxTokens: 50,
  messages: [{ role: "user", content: "Capital of France? key sk-abcdefghijklmnop" }],
  tools: [{ name: "lookup", parameters: { type: "object" } }],
};

describe("@llm/plugin-otel", () => {
  let exporter: InMemorySpanExporter;
  let reader: TestReader;
  let hooks: Hooks;
  let plugins: PluginManager;

  async function start(config?: unknown) {
    exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    reader = new TestReader();
    const meterProvider = new MeterProvider({ readers: [reader] });
    hooks = new Hooks();
    plugins = new PluginManager({ hooks, logger: () => silent });
    await plugins.load([{ plugin: createOtelPlugin({ tracerProvider, meterProvider }), config }]);
    await plugins.start();
    return compose(client(), hooksMiddleware(hooks, { clientName: "fast" }));
  }

  async function metric(name: string) {
    const { resourceMetrics } = await reader.collect();
    return resourceMetrics.scopeMetrics
      .flatMap((s) => s.metrics)
      .find((m) => m.descriptor.name === name);
  }

  beforeEach(() => {
    exporter?.reset();
  });
  afterEach(async () => {
    await plugins?.stop();
  });

  it("records a GenAI client span for a generate call, without the prompt", async () => {
    const llm = await start();
    await llm.generate(request);
    const [span] = exporter.getFinishedSpans();
    expect(span!.name).toBe("chat gpt-x");
    expect(span!.status.code).toBe(SpanStatusCode.OK);
    expect(span!.attributes).toMatchObject({
      "gen_ai.system": "openai",
      "gen_ai.operation.name": "chat",
      "llm.client.name": "fast",
      "gen_ai.request.model": "gpt-x",
      "gen_ai.request.temperature": 0,
      "gen_ai.request.max_tokens": 50,
      "llm.request.tools": ["lookup"],
      "gen_ai.response.id": "resp_1",
      "gen_ai.usage.input_tokens": 11,
      "gen_ai.usage.output_tokens": 7,
      "gen_ai.response.finish_reasons": ["stop"],
      "llm.response.origin": "upstream",
      "llm.response.request_id": "req_9",
    });
    expect(JSON.stringify(span!.attributes)).not.toContain("Capital");
  });

  it("records prompt and answer only when captureContent is on, redacting nothing else away", async () => {
    const llm = await start({ captureContent: true });
    await llm.generate(request);
    const [span] = exporter.getFinishedSpans();
    expect(span!.attributes["gen_ai.completion"]).toBe("Paris");
    expect(String(span!.attributes["gen_ai.prompt"])).toContain("Capital of France");
  });

  it("records duration and token usage histograms", async () => {
    const llm = await start();
    await llm.generate(request);
    await llm.generate({ ...request, metadata: { cached: "yes" } });
    const tokens = await metric("gen_ai.client.token.usage");
    const points = tokens!.dataPoints as DataPoint<Histogram>[];
    const input = points.find((p) => p.attributes["gen_ai.token.type"] === "input")!;
    expect(input.value.count).toBe(2);
    expect(input.value.sum).toBe(22);
    const duration = await metric("gen_ai.client.operation.duration");
    expect((duration!.dataPoints[0] as DataPoint<Histogram>).value.count).toBe(2);
    const spans = exporter.getFinishedSpans();
    expect(spans[1]!.attributes["llm.response.origin"]).toBe("cache:l1");
  });

  it("marks a failed call's span as an error and records the error type", async () => {
    await start();
    const failing = compose(client(true), hooksMiddleware(hooks));
    await expect(failing.generate(request)).rejects.toThrow(RateLimitError);
    const [span] = exporter.getFinishedSpans();
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes["error.type"]).toBe("RATE_LIMIT");
    expect(span!.events.some((e) => e.name === "exception")).toBe(true);
  });

  it("records time to first token once per stream", async () => {
    const llm = await start();
    for await (const _ of llm.stream(request)) {
      // drain
    }
    const [span] = exporter.getFinishedSpans();
    expect(span!.events.filter((e) => e.name === "first_token")).toHaveLength(1);
    const ttft = await metric("llm.client.time_to_first_token");
    expect((ttft!.dataPoints[0] as DataPoint<Histogram>).value.count).toBe(1);
  });

  it("counts cache lookups and retries from their hooks", async () => {
    await start();
    await hooks.callHook("onCacheHit", { key: "k", level: "l2", ageMs: 1 });
    await hooks.callHook("onCacheMiss", { key: "k" });
    await hooks.callHook("onCacheMiss", { key: "j" });
    await hooks.callHook("onRetry", {
      client: "fast",
      attempt: 1,
      error: new RateLimitError("x"),
      delayMs: 5,
    });
    const lookups = await metric("llm.cache.lookups");
    const byResult = Object.fromEntries(
      lookups!.dataPoints.map((p) => [String(p.attributes["llm.cache.result"]), p.value]),
    );
    expect(byResult).toEqual({ hit: 1, miss: 2 });
    const retries = await metric("llm.client.retries");
    expect(retries!.dataPoints[0]!.value).toBe(1);
    expect(retries!.dataPoints[0]!.attributes).toEqual({
      "error.type": "RATE_LIMIT",
      "llm.client.name": "fast",
    });
  });

  it("counts cross-process flights by outcome and records how long followers waited", async () => {
    await start();
    await hooks.callHook("onCacheFlight", { key: "k", outcome: "led" });
    await hooks.callHook("onCacheFlight", { key: "k", outcome: "served", waitMs: 250 });
    await hooks.callHook("onCacheFlight", {
      key: "j",
      outcome: "fell-back",
      reason: "timeout",
      waitMs: 1_000,
    });
    const flights = await metric("llm.cache.flights");
    const byOutcome = Object.fromEntries(
      flights!.dataPoints.map((p) => [
        `${p.attributes["llm.cache.flight.outcome"]}/${p.attributes["llm.cache.flight.reason"] ?? ""}`,
        p.value,
      ]),
    );
    expect(byOutcome).toEqual({ "led/": 1, "served/": 1, "fell-back/timeout": 1 });
    const wait = await metric("llm.cache.flight.wait");
    const sums = wait!.dataPoints.map((p) => (p as DataPoint<Histogram>).value.sum).sort();
    expect(sums).toEqual([0.25, 1]);
  });

  it("rejects an invalid config with the key that is wrong", async () => {
    const errors: string[] = [];
    const manager = new PluginManager({
      hooks: new Hooks(),
      logger: () => silent,
      onError: (e) => errors.push(e.message),
    });
    await manager.load([
      { plugin: createOtelPlugin(), config: { captureContent: "yes", extra: 1 } },
    ]);
    await manager.start();
    expect(errors[0]).toMatch(/plugins\.otel\.config\.extra: unknown option/);
    const m2 = new PluginManager({
      hooks: new Hooks(),
      logger: () => silent,
      onError: (e) => errors.push(e.message),
    });
    await m2.load([{ plugin: createOtelPlugin(), config: { captureContent: "yes" } }]);
    await m2.start();
    expect(errors[1]).toMatch(/plugins\.otel\.config\.captureContent: expected a boolean/);
    const m3 = new PluginManager({
      hooks: new Hooks(),
      logger: () => silent,
      onError: (e) => errors.push(e.message),
    });
    await m3.load([{ plugin: createOtelPlugin(), config: [1] }]);
    await m3.start();
    expect(errors[2]).toMatch(/expected an object/);
  });

  it("exports a default plugin on the global providers", async () => {
    expect(defaultPlugin.name).toBe("otel");
    const manager = new PluginManager({ hooks: new Hooks(), logger: () => silent });
    await manager.load([defaultPlugin]);
    await manager.start();
    expect(manager.status()[0]!.state).toBe("started");
    await manager.stop();
  });
});
