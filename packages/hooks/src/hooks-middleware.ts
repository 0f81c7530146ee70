import {
  type CallOptions,
  type ChatRequest,
  type ChatResponse,
  type GenerateContext,
  isLLMError,
  LLMError,
  type Middleware,
  StreamAccumulator,
  type StreamEvent,
} from "@llm/core";
import type { CallInfo } from "./hook-map.js";
import type { Hooks } from "./hooks.js";

export interface HooksMiddlewareOptions {
  /** The name the client is known by (shown to handlers as `call.client`). */
  clientName?: string;
}

let callCounter = 0;

function newCall(provider: string, mode: CallInfo["mode"], client: string | undefined): CallInfo {
  callCounter = (callCounter + 1) % Number.MAX_SAFE_INTEGER;
  return {
    id: `call_${Date.now().toString(36)}_${callCounter.toString(36)}`,
    provider,
    ...(client === undefined ? {} : { client }),
    mode,
    startedAt: performance.now(),
    state: new Map(),
  };
}

const asLLMError = (error: unknown): LLMError =>
  isLLMError(error)
    ? error
    : new LLMError(error instanceof Error ? error.message : String(error), { cause: error });

/**
 * Runs the hook points around every call of a client: `beforeRequest` (may
 * rewrite the request), `afterResponse`, `onError` and, for streams,
 * `onStreamEvent` per event. With no handler on any of those points the
 * middleware calls straight through.
 */
export function hooksMiddleware(hooks: Hooks, options: HooksMiddlewareOptions = {}): Middleware {
  const idle = () =>
    !hooks.has("beforeRequest") &&
    !hooks.has("afterResponse") &&
    !hooks.has("onError") &&
    !hooks.has("onStreamEvent");

  const rewrite = async (call: CallInfo, request: ChatRequest, callOptions: CallOptions) =>
    hooks.has("beforeRequest")
      ? (await hooks.callHook("beforeRequest", { call, request, options: callOptions })).request
      : request;

  const answered = async (call: CallInfo, request: ChatRequest, response: ChatResponse) => {
    if (!hooks.has("afterResponse")) return;
    await hooks.callHook("afterResponse", {
      call,
      request,
      response,
      durationMs: performance.now() - call.startedAt,
    });
  };

  const failed = async (call: CallInfo, request: ChatRequest, error: unknown) => {
    if (!hooks.has("onError")) return;
    await hooks.callHook("onError", {
      call,
      request,
      error: asLLMError(error),
      durationMs: performance.now() - call.startedAt,
    });
  };

  const generateWithHooks = async ({
    request,
    options: callOptions,
    client,
    next,
  }: GenerateContext): Promise<ChatResponse> => {
    const call = newCall(client.provider, "generate", options.clientName);
    const finalRequest = await rewrite(call, request, callOptions);
    try {
      const response = await next(finalRequest, callOptions);
      await answered(call, finalRequest, response);
      return response;
    } catch (error) {
      await failed(call, finalRequest, error);
      throw error;
    }
  };

  return {
    name: "hooks",

    // Not async: with no handler the call passes straight through, without a promise of its own.
    wrapGenerate(ctx) {
      return idle() ? ctx.next() : generateWithHooks(ctx);
    },

    wrapStream({ request, options: callOptions, client, next }) {
      if (idle()) return next();
      return {
        async *[Symbol.asyncIterator]() {
          const call = newCall(client.provider, "stream", options.clientName);
          const finalRequest = await rewrite(call, request, callOptions);
          const collect = hooks.has("afterResponse") ? new StreamAccumulator() : undefined;
          try {
            for await (const event of next(
              finalRequest,
              callOptions,
            ) as AsyncIterable<StreamEvent>) {
              collect?.add(event);
              if (hooks.has("onStreamEvent")) {
                await hooks.callHook("onStreamEvent", { call, request: finalRequest, event });
              }
              yield event;
            }
          } catch (error) {
            await failed(call, finalRequest, error);
            throw error;
          }
          if (collect?.finished) await answered(call, finalRequest, collect.toResponse());
        },
      };
    },
  };
}
