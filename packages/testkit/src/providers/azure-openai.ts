import { isRecord } from "@llm/core";
import { asString, type NormalizedRequest } from "../normalized-request.js";
import { type Prng, randomHex } from "../prng.js";
import {
  type ProviderAdapter,
  type ResolvedCompletion,
  retryAfterHeaders,
} from "../provider-adapter.js";
import type { MockErrorReply, RecordedRequest } from "../types.js";
import { openaiAdapter } from "./openai.js";

/**
 * Azure OpenAI: the OpenAI Chat Completions and embeddings wire format behind
 * Azure's own routes, auth and error bodies.
 *
 * - Routes: `POST /openai/deployments/{deployment}/chat/completions?api-version=…`
 *   (and `/embeddings`), where the deployment picks the model and `model` in the
 *   body is optional; the newer `POST /openai/v1/chat/completions` with `model`
 *   in the body and `api-version` optional.
 * - A deployment route without `api-version` is a 404 ("Resource not found"), an
 *   `api-version` that is not a date is a 400, as Azure answers them.
 * - Auth: an `api-key` header, or `Authorization: Bearer <Entra ID token>`; the
 *   mock's `apiKey` option, when set, is the one value either must carry.
 * - Answers carry `prompt_filter_results` and per-choice `content_filter_results`;
 *   a stream opens with a chunk holding only the prompt filter results. A reply
 *   scripted with `finishReason: "content_filter"` marks `violence` as filtered.
 * - 429s use Azure's body and carry `retry-after` and `retry-after-ms`;
 *   `azureContentFilterReply()` scripts the 400 `content_filter` error with its
 *   `innererror`.
 */

const DEPLOYMENT_ROUTE = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/;
const V1_ROUTE = /^\/openai\/v1\/(chat\/completions|embeddings)$/;
/** `2024-10-21`, `2025-04-01-preview`; the v1 surface also takes `preview` / `latest`. */
const API_VERSION = /^\d{4}-\d{2}-\d{2}(?:-preview)?$/;

const JSON_TYPE = "application/json";
const SSE_TYPE = "text/event-stream; charset=utf-8";

const RATE_LIMIT_HEADERS: Record<string, string> = {
  "x-ratelimit-limit-requests": "1000",
  "x-ratelimit-limit-tokens": "150000",
  "x-ratelimit-remaining-requests": "999",
  "x-ratelimit-remaining-tokens": "149000",
};

type Severity = "safe" | "low" | "medium" | "high";
type Category = "hate" | "self_harm" | "sexual" | "violence";

interface FilterResult {
  filtered: boolean;
  severity: Severity;
}

/** Every category passed: what Azure attaches to an unremarkable prompt or answer. */
function filterResults(flagged?: { category: Category; severity: Severity }) {
  const result = (category: Category): FilterResult =>
    flagged?.category === category
      ? { filtered: true, severity: flagged.severity }
      : { filtered: false, severity: "safe" };
  return {
    hate: result("hate"),
    self_harm: result("self_harm"),
    sexual: result("sexual"),
    violence: result("violence"),
  };
}

const PROMPT_FILTER_RESULTS = [
  {
    prompt_index: 0,
    content_filter_results: { ...filterResults(), jailbreak: { filtered: false, detected: false } },
  },
];

/** The deployment named by the path, when the request uses a deployment route. */
export function azureDeploymentOf(path: string): string | undefined {
  const match = DEPLOYMENT_ROUTE.exec(path);
  return match === null ? undefined : decodeURIComponent(match[1] as string);
}

/** Whether `method path` is one of Azure's embeddings routes. */
export function isAzureEmbeddingsRoute(method: string, path: string): boolean {
  if (method !== "POST") return false;
  return (DEPLOYMENT_ROUTE.exec(path)?.[2] ?? V1_ROUTE.exec(path)?.[1]) === "embeddings";
}

/** Azure's error body shape for the errors its gateway answers itself (401, 404, 429). */
function gatewayError(code: string, message: string) {
  return { error: { code, message } };
}

/**
 * The 400 Azure answers when its content filter blocks a prompt: OpenAI's
 * error object with `code: "content_filter"` and an `innererror` naming the
 * category that tripped.
 */
export function azureContentFilterReply(
  category: Category = "violence",
  severity: Severity = "high",
): MockErrorReply {
  return {
    status: 400,
    body: {
      error: {
        message:
          "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766",
        type: null,
        param: "prompt",
        code: "content_filter",
        status: 400,
        innererror: {
          code: "ResponsibleAIPolicyViolation",
          content_filter_result: {
            ...filterResults({ category, severity }),
            jailbreak: { filtered: false, detected: false },
          },
        },
      },
    },
  };
}

function completionFilter(c: ResolvedCompletion) {
  return c.finishReason === "content_filter"
    ? filterResults({ category: "violence", severity: "medium" })
    : filterResults();
}

export const azureOpenAIAdapter: ProviderAdapter = {
  ...openaiAdapter,
  name: "azure-openai",
  basePath: "/openai",

  shape(method, path, _query, body) {
    const bodyModel = isRecord(body) ? asString(body.model) : undefined;
    const deployment = DEPLOYMENT_ROUTE.exec(path);
    const v1 = deployment === null ? V1_ROUTE.exec(path) : null;
    const operation = deployment?.[2] ?? v1?.[1];
    if (method === "POST" && operation === "chat/completions") {
      const model = deployment === null ? bodyModel : decodeURIComponent(deployment[1] as string);
      return { route: "chat", stream: isRecord(body) && body.stream === true, model };
    }
    if (method === "GET" && (path === "/openai/models" || path === "/openai/v1/models")) {
      return { route: "models", stream: false, model: undefined };
    }
    return { route: undefined, stream: false, model: bodyModel };
  },

  checkAuth(request, apiKey) {
    const version = request.query["api-version"];
    if (request.path.startsWith("/openai/deployments/") || request.path === "/openai/models") {
      if (version === undefined) return { status: 404 };
    }
    if (
      version !== undefined &&
      !API_VERSION.test(version) &&
      version !== "preview" &&
      version !== "latest"
    ) {
      return {
        status: 400,
        body: gatewayError("BadRequest", "API version not supported"),
      };
    }
    const header = request.headers.authorization ?? "";
    const token = header.startsWith("Bearer ") ? header.slice(7).trim() : "";
    const key = request.headers["api-key"]?.trim() ?? "";
    const credential = key !== "" ? key : token;
    if (credential === "" || (apiKey !== undefined && credential !== apiKey))
      return { status: 401 };
    return undefined;
  },

  normalize(request: RecordedRequest): NormalizedRequest {
    // On a deployment route the deployment is the model; the body may leave `model` out.
    const deployment = azureDeploymentOf(request.path);
    const body = request.body;
    if (deployment !== undefined && isRecord(body) && body.model === undefined) {
      return openaiAdapter.normalize({ ...request, body: { ...body, model: deployment } });
    }
    return openaiAdapter.normalize(request);
  },

  requestId: (prng: Prng) =>
    `${randomHex(prng, 8)}-${randomHex(prng, 4)}-${randomHex(prng, 4)}-${randomHex(prng, 4)}-${randomHex(prng, 12)}`,

  successHeaders(stream, requestId) {
    return {
      "content-type": stream ? SSE_TYPE : JSON_TYPE,
      "apim-request-id": requestId,
      "x-request-id": requestId,
      "x-ms-region": "Sweden Central",
      "x-content-type-options": "nosniff",
      ...RATE_LIMIT_HEADERS,
    };
  },

  renderJSON(c) {
    const body = openaiAdapter.renderJSON(c) as Record<string, unknown> & {
      choices: Array<Record<string, unknown>>;
    };
    const choices = body.choices.map((choice) => ({
      ...choice,
      content_filter_results: completionFilter(c),
    }));
    return { ...body, choices, prompt_filter_results: PROMPT_FILTER_RESULTS };
  },

  renderFrames(c, request, chunkSize) {
    const preamble = `data: ${JSON.stringify({ choices: [], created: 0, id: "", model: "", object: "", prompt_filter_results: PROMPT_FILTER_RESULTS })}\n\n`;
    const frames = openaiAdapter.renderFrames(c, request, chunkSize);
    // The finishing chunk carries the completion's filter results, as Azure's does.
    const marker = `"finish_reason":${JSON.stringify(c.finishReason)}`;
    const filtered = frames.map((frame) =>
      typeof frame === "string" && frame.includes(marker)
        ? frame.replace(
            marker,
            `${marker},"content_filter_results":${JSON.stringify(completionFilter(c))}`,
          )
        : frame,
    );
    return [preamble, ...filtered];
  },

  errorBody(status, reply: MockErrorReply, requestId, message) {
    if (reply.body !== undefined) return reply.body;
    switch (status) {
      case 401:
        return gatewayError(
          "401",
          "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.",
        );
      case 404:
        return gatewayError("404", message ?? "Resource not found");
      case 429: {
        const seconds = reply.retryAfterSeconds ?? Math.ceil((reply.retryAfterMs ?? 1000) / 1000);
        return gatewayError(
          "429",
          `Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after ${seconds} seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.`,
        );
      }
      default:
        return openaiAdapter.errorBody(status, reply, requestId, message);
    }
  },

  errorHeaders(status, requestId, reply) {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "apim-request-id": requestId,
      "x-request-id": requestId,
    };
    if (status === 429) {
      Object.assign(headers, RATE_LIMIT_HEADERS, { "x-ratelimit-remaining-tokens": "0" });
      const hint = retryAfterHeaders(reply);
      // Azure always sends both: whole seconds and the exact milliseconds.
      if (hint["retry-after"] !== undefined && hint["retry-after-ms"] === undefined)
        hint["retry-after-ms"] = String(Number(hint["retry-after"]) * 1000);
      Object.assign(headers, hint);
    } else {
      Object.assign(headers, retryAfterHeaders(reply));
    }
    return headers;
  },

  notFound() {
    return { status: 404, body: gatewayError("404", "Resource not found") };
  },
};
