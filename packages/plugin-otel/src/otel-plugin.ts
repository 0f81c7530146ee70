import type { CallInfo } from "@llm/hooks";
import { definePlugin, type PluginDefinition } from "@llm/plugins";
import {
  type Meter,
  type MeterProvider,
  metrics,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  type TracerProvider,
  trace,
} from "@opentelemetry/api";
import { requestAttributes, responseAttributes } from "./gen-ai-attributes.js";
import { type OtelPluginConfig, otelConfigSchema } from "./otel-config.js";

export interface OtelPluginOptions {
  /** Defaults to the global provider registered by the OpenTelemetry SDK. */
  tracerProvider?: TracerProvider;
  meterProvider?: MeterProvider;
}

const SPAN = Symbol("otel.span");
const FIRST_TOKEN = Symbol("otel.firstToken");
const SCOPE = "@llm/plugin-otel";
const VERSION = "0.1.0";

/**
 * Turns llm-kit hooks into OpenTelemetry spans and metrics, named after the
 * GenAI semantic conventions (`gen_ai.*`). Prompts and answers are never
 * recorded unless `captureContent` is set.
 */
export function createOtelPlugin(
  options: OtelPluginOptions = {},
): PluginDefinition<OtelPluginConfig> {
  return definePlugin<OtelPluginConfig>({
    name: "otel",
    version: VERSION,
    apiVersion: 1,
    configSchema: otelConfigSchema,
    setup(ctx) {
      const tracer: Tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(
        SCOPE,
        VERSION,
      );
      const meter: Meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(
        SCOPE,
        VERSION,
      );
      const duration = meter.createHistogram("gen_ai.client.operation.duration", {
        unit: "s",
        description: "Duration of LLM calls, cache hits included",
      });
      const tokens = meter.createHistogram("gen_ai.client.token.usage", {
        unit: "{token}",
        description: "Tokens per call, by gen_ai.token.type",
      });
      const timeToFirstToken = meter.createHistogram("llm.client.time_to_first_token", {
        unit: "s",
        description: "Time from request to the first streamed content",
      });
      const cacheLookups = meter.createCounter("llm.cache.lookups", {
        description: "Cache lookups by result (hit / miss) and level",
      });
      const cacheFlights = meter.createCounter("llm.cache.flights", {
        description: "Cross-process single-flight claims by outcome (and fall-back reason)",
      });
      const flightWait = meter.createHistogram("llm.cache.flight.wait", {
        unit: "s",
        description: "How long a process followed another one's upstream call",
      });
      const retries = meter.createCounter("llm.client.retries", { description: "Retries taken" });
      const { captureContent } = ctx.config;

      const spanOf = (call: CallInfo) => call.state.get(SPAN) as Span | undefined;
      const baseAttributes = (call: CallInfo) => ({
        "gen_ai.system": call.provider,
        "gen_ai.operation.name": "chat",
        ...(call.client === undefined ? {} : { "llm.client.name": call.client }),
      });

      ctx.hooks.hook(
        "beforeRequest",
        ({ call, request }) => {
          const span = tracer.startSpan(`chat ${request.model ?? call.client ?? call.provider}`, {
            kind: SpanKind.CLIENT,
            attributes: { ...baseAttributes(call), ...requestAttributes(request, captureContent) },
          });
          call.state.set(SPAN, span);
        },
        { name: "otel:start-span", priority: 1_000 },
      );

      ctx.hooks.hook(
        "onStreamEvent",
        ({ call, event }) => {
          if (call.state.has(FIRST_TOKEN)) return;
          if (
            event.type !== "text-delta" &&
            event.type !== "tool-call-delta" &&
            event.type !== "reasoning-delta"
          )
            return;
          call.state.set(FIRST_TOKEN, true);
          const seconds = (performance.now() - call.startedAt) / 1_000;
          timeToFirstToken.record(seconds, baseAttributes(call));
          spanOf(call)?.addEvent("first_token");
        },
        { name: "otel:first-token" },
      );

      ctx.hooks.hook(
        "afterResponse",
        ({ call, response, durationMs }) => {
          const attributes = { ...baseAttributes(call), "gen_ai.response.model": response.model };
          duration.record(durationMs / 1_000, attributes);
          tokens.record(response.usage.inputTokens, {
            ...attributes,
            "gen_ai.token.type": "input",
          });
          tokens.record(response.usage.outputTokens, {
            ...attributes,
            "gen_ai.token.type": "output",
          });
          const span = spanOf(call);
          if (!span) return;
          span.setAttributes(responseAttributes(response, captureContent));
          span.setStatus({ code: SpanStatusCode.OK });
          span.end();
        },
        { name: "otel:end-span", priority: -1_000 },
      );

      ctx.hooks.hook(
        "onError",
        ({ call, error, durationMs }) => {
          duration.record(durationMs / 1_000, {
            ...baseAttributes(call),
            "error.type": error.code,
          });
          const span = spanOf(call);
          if (!span) return;
          span.recordException(error);
          span.setAttribute("error.type", error.code);
          span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
          span.end();
        },
        { name: "otel:error-span", priority: -1_000 },
      );

      ctx.hooks.hook(
        "onCacheHit",
        ({ level }) => cacheLookups.add(1, { "llm.cache.result": "hit", "llm.cache.level": level }),
        {
          name: "otel:cache-hit",
        },
      );
      ctx.hooks.hook("onCacheMiss", () => cacheLookups.add(1, { "llm.cache.result": "miss" }), {
        name: "otel:cache-miss",
      });
      ctx.hooks.hook(
        "onCacheFlight",
        ({ outcome, reason, waitMs }) => {
          const attributes =
            reason === undefined
              ? { "llm.cache.flight.outcome": outcome }
              : { "llm.cache.flight.outcome": outcome, "llm.cache.flight.reason": reason };
          cacheFlights.add(1, attributes);
          if (waitMs !== undefined) flightWait.record(waitMs / 1_000, attributes);
        },
        { name: "otel:cache-flight" },
      );
      ctx.hooks.hook("onRetry", ({ client, error }) =>
        retries.add(1, {
          "error.type": error.code,
          ...(client === undefined ? {} : { "llm.client.name": client }),
        }),
      );
    },
  });
}

/** The plugin on the global OpenTelemetry providers, for `plugins: [{ module: "@llm/plugin-otel" }]`. */
export const plugin: PluginDefinition<OtelPluginConfig> = createOtelPlugin();
export default plugin;
