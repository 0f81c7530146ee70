import { isRecord } from "@llm/core";
import {
  contentText,
  InvalidRequestError,
  identityOf,
  type NormalizedRequest,
  type NormalizedTool,
  type NormalizedToolChoice,
} from "../normalized-request.js";
import { type Prng, randomId } from "../prng.js";
import {
  type ProviderAdapter,
  type RequestShape,
  type ResolvedCompletion,
  retryAfterSecondsOf,
} from "../provider-adapter.js";
import { chunkText } from "../text-chunks.js";
import type { MockErrorReply, RecordedRequest } from "../types.js";

const JSON_TYPE = "application/json; charset=UTF-8";
const SSE_TYPE = "text/event-stream";
const CHAT_PATH =
  /^\/(v1beta|v1alpha|v1)\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

const ERRORS: Record<number, { status: string; message: string }> = {
  400: { status: "INVALID_ARGUMENT", message: "Request contains an invalid argument." },
  401: { status: "UNAUTHENTICATED", message: "Request had invalid authentication credentials." },
  403: { status: "PERMISSION_DENIED", message: "The caller does not have permission" },
  404: { status: "NOT_FOUND", message: "Requested entity was not found." },
  409: { status: "ABORTED", message: "The operation was aborted." },
  429: {
    status: "RESOURCE_EXHAUSTED",
    message: "You exceeded your current quota, please check your plan and billing details.",
  },
  500: {
    status: "INTERNAL",
    message:
      "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
  },
  503: { status: "UNAVAILABLE", message: "The model is overloaded. Please try again later." },
  504: {
    status: "DEADLINE_EXCEEDED",
    message: "Deadline expired before operation could complete.",
  },
};

function errorEnvelope(code: number, message: string, status: string, details?: unknown[]) {
  return { error: { code, message, status, ...(details !== undefined ? { details } : {}) } };
}

function errorShape(status: number): { status: string; message: string } {
  return (
    ERRORS[status] ?? {
      status: status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION",
      message: `HTTP ${status}`,
    }
  );
}

/** `20s`, `1.5s`: the google.protobuf.Duration JSON form RetryInfo uses. */
function durationOf(seconds: number): string {
  return `${Number(seconds.toFixed(3))}s`;
}

export const geminiAdapter: ProviderAdapter = {
  name: "gemini",
  basePath: "/v1beta",

  shape(method, path): RequestShape {
    const match = method === "POST" ? CHAT_PATH.exec(path) : null;
    if (match) {
      return { route: "chat", stream: match[3] === "streamGenerateContent", model: match[2] };
    }
    if (method === "GET" && /^\/(v1beta|v1alpha|v1)\/models$/.test(path)) {
      return { route: "models", stream: false, model: undefined };
    }
    return { route: undefined, stream: false, model: undefined };
  },

  checkAuth(request, apiKey) {
    const key = request.headers["x-goog-api-key"] ?? request.query.key ?? "";
    if (key === "") {
      return {
        status: 403,
        body: errorEnvelope(
          403,
          "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
          "PERMISSION_DENIED",
        ),
      };
    }
    return apiKey !== undefined && key !== apiKey ? geminiAdapter.authError() : undefined;
  },

  // The real API answers a bad key with 400 INVALID_ARGUMENT and an ErrorInfo reason.
  authError: () => ({
    status: 400,
    body: errorEnvelope(
      400,
      "API key not valid. Please pass a valid API key.",
      "INVALID_ARGUMENT",
      [
        {
          "@type": "type.googleapis.com/google.rpc.ErrorInfo",
          reason: "API_KEY_INVALID",
          domain: "googleapis.com",
          metadata: { service: "generativelanguage.googleapis.com" },
        },
      ],
    ),
  }),
  overloadedStatus: 503,

  normalize(request: RecordedRequest): NormalizedRequest {
    const body = request.body;
    if (!isRecord(body)) throw new InvalidRequestError("Invalid JSON payload received.");
    if (!Array.isArray(body.contents)) {
      throw new InvalidRequestError(
        "* GenerateContentRequest.contents: contents is not specified\n",
      );
    }
    const system = isRecord(body.systemInstruction)
      ? contentText(body.systemInstruction.parts)
      : "";
    let promptChars = system.length;
    let lastRole: NormalizedRequest["lastRole"];
    let lastUserText = "";
    for (const content of body.contents) {
      if (!isRecord(content)) continue;
      const text = contentText(content.parts);
      promptChars += text.length;
      const hasResponse =
        Array.isArray(content.parts) &&
        content.parts.some((part) => isRecord(part) && part.functionResponse !== undefined);
      lastRole = content.role === "model" ? "assistant" : hasResponse ? "tool" : "user";
      lastUserText = lastRole === "user" ? text : "";
    }
    const tools: NormalizedTool[] = [];
    if (Array.isArray(body.tools)) {
      for (const tool of body.tools) {
        if (!isRecord(tool) || !Array.isArray(tool.functionDeclarations)) continue;
        for (const declaration of tool.functionDeclarations) {
          if (!isRecord(declaration) || typeof declaration.name !== "string") continue;
          const parameters = declaration.parameters ?? declaration.parametersJsonSchema;
          tools.push({
            name: declaration.name,
            parameters: isRecord(parameters) ? parameters : undefined,
          });
        }
      }
    }
    const config = isRecord(body.generationConfig) ? body.generationConfig : {};
    const schema = config.responseSchema ?? config.responseJsonSchema;
    const thinking = isRecord(config.thinkingConfig) ? config.thinkingConfig : {};
    const model = geminiAdapter.shape("POST", request.path, request.query, body).model ?? "gemini";
    return {
      model,
      stream: request.path.endsWith(":streamGenerateContent"),
      promptChars,
      lastRole,
      lastUserText,
      tools,
      toolChoice: toolChoiceOf(body.toolConfig),
      json:
        config.responseMimeType === "application/json"
          ? { schema: isRecord(schema) ? schema : undefined }
          : undefined,
      reasoning: thinking.includeThoughts === true,
      sse: request.query.alt === "sse",
      includeUsage: true,
      // The model lives in the path; the stream flag does not count: same answer both ways.
      identity: `${model}${identityOf(body, [])}`,
    };
  },

  finishReason: () => "STOP",
  messageId: (prng: Prng) => randomId(prng, 23),
  toolCallId: (prng: Prng) => `call_${randomId(prng, 16)}`,
  requestId: (prng: Prng) => randomId(prng, 16),

  successHeaders(stream, _requestId, request) {
    return {
      "content-type": stream && request.query.alt === "sse" ? SSE_TYPE : JSON_TYPE,
      "server-timing": "gfet4t7; dur=420",
      vary: "Origin, X-Origin, Referer",
    };
  },

  renderJSON(c: ResolvedCompletion) {
    const parts: unknown[] = [];
    if (c.reasoning !== "") parts.push({ text: c.reasoning, thought: true });
    if (c.text !== "" || c.toolCalls.length === 0) parts.push({ text: c.text });
    for (const call of c.toolCalls)
      parts.push({ functionCall: { name: call.name, args: call.arguments } });
    return {
      candidates: [{ content: { parts, role: "model" }, finishReason: c.finishReason, index: 0 }],
      usageMetadata: usageOf(c),
      modelVersion: c.model,
      responseId: c.id,
    };
  },

  renderFrames(c, request, chunkSize) {
    const partsList: unknown[][] = [];
    for (const piece of chunkText(c.reasoning, chunkSize))
      partsList.push([{ text: piece, thought: true }]);
    for (const piece of chunkText(c.text, chunkSize)) partsList.push([{ text: piece }]);
    if (c.toolCalls.length > 0) {
      partsList.push(
        c.toolCalls.map((call) => ({ functionCall: { name: call.name, args: call.arguments } })),
      );
    }
    if (partsList.length === 0) partsList.push([{ text: "" }]);
    const usage = usageOf(c);
    const running = {
      promptTokenCount: usage.promptTokenCount,
      totalTokenCount: usage.promptTokenCount,
    };
    const tail = `,"modelVersion":${JSON.stringify(c.model)},"responseId":${JSON.stringify(c.id)}}`;
    const payloads = partsList.map((parts, i) => {
      const last = i === partsList.length - 1;
      const candidate = last
        ? { content: { parts, role: "model" }, finishReason: c.finishReason, index: 0 }
        : { content: { parts, role: "model" }, index: 0 };
      return `{"candidates":[${JSON.stringify(candidate)}],"usageMetadata":${JSON.stringify(last ? usage : running)}${tail}`;
    });
    return frame(payloads, request.sse);
  },

  frameFixture(lines, request) {
    return frame(lines, request.query.alt === "sse");
  },

  errorBody(status, reply: MockErrorReply, _requestId, message) {
    if (reply.body !== undefined) return reply.body;
    const shape = errorShape(status);
    const retryAfter = retryAfterSecondsOf(reply);
    const details =
      retryAfter === undefined
        ? undefined
        : [
            {
              "@type": "type.googleapis.com/google.rpc.RetryInfo",
              retryDelay: durationOf(retryAfter),
            },
          ];
    return errorEnvelope(status, message ?? shape.message, shape.status, details);
  },

  // Gemini sends no retry-after header: the hint lives in the body's RetryInfo.
  errorHeaders() {
    return { "content-type": JSON_TYPE, vary: "Origin, X-Origin, Referer" };
  },

  midStreamErrorFrame() {
    const shape = errorShape(500);
    return `data: ${JSON.stringify(errorEnvelope(500, shape.message, shape.status))}\r\n\r\n`;
  },

  malformedFrame: () => 'data: {"candidates":[{"content":{"parts":[{"text":"cut\r\n\r\n',

  modelsBody() {
    const models = ["gemini-2.5-flash", "gemini-2.5-pro", "gemini-3-pro-preview"].map((id) => ({
      name: `models/${id}`,
      version: "001",
      displayName: id,
      inputTokenLimit: 1048576,
      outputTokenLimit: 65536,
      supportedGenerationMethods: ["generateContent", "countTokens"],
    }));
    return { models };
  },

  notFound(_method, path) {
    return {
      status: 404,
      body: errorEnvelope(404, `Method not found: ${path}`, "NOT_FOUND"),
    };
  },
};

/** SSE frames with Google's CRLF line endings, or the pieces of a streamed JSON array. */
function frame(payloads: string[], sse: boolean): string[] {
  if (sse) return payloads.map((payload) => `data: ${payload}\r\n\r\n`);
  return payloads.map((payload, i) => {
    const prefix = i === 0 ? "[" : ",\r\n";
    return i === payloads.length - 1 ? `${prefix}${payload}]` : `${prefix}${payload}`;
  });
}

function toolChoiceOf(toolConfig: unknown): NormalizedToolChoice {
  const config =
    isRecord(toolConfig) && isRecord(toolConfig.functionCallingConfig)
      ? toolConfig.functionCallingConfig
      : {};
  if (config.mode === "NONE") return { type: "none" };
  if (config.mode === "ANY") {
    const allowed = Array.isArray(config.allowedFunctionNames) ? config.allowedFunctionNames : [];
    return allowed.length === 1 && typeof allowed[0] === "string"
      ? { type: "tool", name: allowed[0] }
      : { type: "required" };
  }
  return { type: "auto" };
}

function usageOf(c: ResolvedCompletion) {
  return {
    promptTokenCount: c.usage.input,
    candidatesTokenCount: c.usage.output,
    totalTokenCount: c.usage.input + c.usage.output + c.usage.reasoning,
    promptTokensDetails: [{ modality: "TEXT", tokenCount: c.usage.input }],
    ...(c.usage.cached > 0 ? { cachedContentTokenCount: c.usage.cached } : {}),
    ...(c.usage.reasoning > 0 ? { thoughtsTokenCount: c.usage.reasoning } : {}),
  };
}
