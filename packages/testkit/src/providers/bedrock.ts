import { isRecord } from "@llm/core";
import { EventStreamCodec } from "@smithy/core/event-streams";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import {
  InvalidRequestError,
  identityOf,
  type NormalizedRequest,
  type NormalizedTool,
  type NormalizedToolChoice,
} from "../normalized-request.js";
import { type Prng, randomHex, randomId } from "../prng.js";
import {
  type ProviderAdapter,
  type RequestShape,
  type ResolvedCompletion,
  retryAfterHeaders,
  type WireFrame,
} from "../provider-adapter.js";
import { chunkText } from "../text-chunks.js";
import type { MockErrorReply, RecordedRequest } from "../types.js";

/**
 * Amazon Bedrock Runtime's Converse API: `POST /model/{modelId}/converse`
 * (JSON) and `/converse-stream` (binary `application/vnd.amazon.eventstream`
 * messages, encoded with smithy's `EventStreamCodec` as AWS does), SigV4 or
 * bearer-key auth, errors as `{"message"}` with the type in `x-amzn-errortype`.
 */

const JSON_TYPE = "application/json";
const EVENT_STREAM_TYPE = "application/vnd.amazon.eventstream";
const ARGUMENT_FRAGMENT = 8;
const CORAL = ":http://internal.amazon.com/coral/com.amazon.bedrock/";
const ROUTE = /^\/model\/([^/]+)\/(converse|converse-stream)$/;
/** `AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/bedrock/aws4_request, SignedHeaders=…, Signature=<64 hex>`. */
const SIGV4 =
  /^AWS4-HMAC-SHA256 Credential=([A-Z0-9]{4,128})\/(\d{8})\/([a-z0-9-]+)\/bedrock\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=[0-9a-f]{64}$/;
const AMZ_DATE = /^(\d{8})T\d{6}Z$/;

const ERRORS: Record<number, { type: string; message: string }> = {
  400: {
    type: "ValidationException",
    message: "Malformed input request, please reformat your input and try again.",
  },
  401: {
    type: "UnrecognizedClientException",
    message: "The security token included in the request is invalid.",
  },
  403: {
    type: "AccessDeniedException",
    message: "You don't have access to the model with the specified model ID.",
  },
  404: {
    type: "ResourceNotFoundException",
    message: "Could not resolve the foundation model from the provided model identifier.",
  },
  408: {
    type: "ModelTimeoutException",
    message: "Model has timed out in processing the request. Try your request again.",
  },
  424: { type: "ModelErrorException", message: "The model returned an error." },
  429: {
    type: "ThrottlingException",
    message: "Too many requests, please wait before trying again.",
  },
  500: {
    type: "InternalServerException",
    message:
      "The system encountered an unexpected error during processing. Try your request again.",
  },
  503: {
    type: "ServiceUnavailableException",
    message: "Bedrock is unable to process your request.",
  },
};

function errorShape(status: number): { type: string; message: string } {
  return (
    ERRORS[status] ?? {
      type: status >= 500 ? "InternalServerException" : "ValidationException",
      message: `HTTP ${status}`,
    }
  );
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);
/** Real events carry a `p` field of filler characters (against length side channels). */
const PADDING = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ";

function eventFrame(type: string, payload: Record<string, unknown>): Uint8Array {
  return codec.encode({
    headers: {
      ":event-type": { type: "string", value: type },
      ":content-type": { type: "string", value: JSON_TYPE },
      ":message-type": { type: "string", value: "event" },
    },
    body: fromUtf8(JSON.stringify({ ...payload, p: PADDING.slice(0, 4 + (type.length % 20)) })),
  });
}

function exceptionFrame(type: string, message: string): Uint8Array {
  return codec.encode({
    headers: {
      ":exception-type": { type: "string", value: type },
      ":content-type": { type: "string", value: JSON_TYPE },
      ":message-type": { type: "string", value: "exception" },
    },
    body: fromUtf8(JSON.stringify({ message })),
  });
}

function errorReply(status: number, type: string, message: string): MockErrorReply {
  return { status, body: { message }, headers: { "x-amzn-errortype": `${type}${CORAL}` } };
}

/**
 * The auth check: a bearer Bedrock API key, or a well-formed SigV4
 * `authorization` whose scope is the `bedrock` service, whose date matches
 * `x-amz-date`, and whose signed headers include `host` and `x-amz-date`.
 * `apiKey`, when set, must be the access key id (or the bearer key).
 */
function checkAuth(
  request: RecordedRequest,
  apiKey: string | undefined,
): MockErrorReply | undefined {
  const authorization = request.headers.authorization ?? "";
  if (authorization.startsWith("Bearer ")) {
    const key = authorization.slice(7).trim();
    if (apiKey !== undefined && key !== apiKey)
      return errorReply(403, "UnrecognizedClientException", ERRORS[401]?.message ?? "");
    return undefined;
  }
  if (authorization === "")
    return errorReply(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
  const match = SIGV4.exec(authorization);
  const date = AMZ_DATE.exec(request.headers["x-amz-date"] ?? "");
  const signed = match?.[4]?.split(";") ?? [];
  if (
    match === null ||
    date === null ||
    match[2] !== date[1] ||
    !signed.includes("host") ||
    !signed.includes("x-amz-date")
  ) {
    return errorReply(
      403,
      "InvalidSignatureException",
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
    );
  }
  if (apiKey !== undefined && match[1] !== apiKey)
    return errorReply(403, "UnrecognizedClientException", ERRORS[401]?.message ?? "");
  return undefined;
}

function textOf(content: unknown): string {
  if (!Array.isArray(content)) return "";
  let out = "";
  for (const block of content) {
    if (!isRecord(block)) continue;
    if (typeof block.text === "string") out += block.text;
    else if (isRecord(block.toolResult) && Array.isArray(block.toolResult.content))
      out += textOf(block.toolResult.content);
  }
  return out;
}

function toolChoiceOf(config: Record<string, unknown>): NormalizedToolChoice {
  const choice = config.toolChoice;
  if (!isRecord(choice)) return { type: "auto" };
  if (isRecord(choice.any)) return { type: "required" };
  if (isRecord(choice.tool) && typeof choice.tool.name === "string")
    return { type: "tool", name: choice.tool.name };
  return { type: "auto" };
}

function usageOf(c: ResolvedCompletion) {
  // Bedrock's inputTokens leaves out prompt-cache reads, reported beside it.
  const inputTokens = Math.max(c.usage.input - c.usage.cached, 0);
  const usage: Record<string, number> = {
    inputTokens,
    outputTokens: c.usage.output,
    totalTokens: c.usage.input + c.usage.output,
  };
  if (c.usage.cached > 0) {
    usage.cacheReadInputTokens = c.usage.cached;
    usage.cacheWriteInputTokens = 0;
  }
  return usage;
}

function signatureOf(c: ResolvedCompletion): string {
  return `EqQBCkYIBxgCKkB${c.id.slice(-16)}mock`;
}

export const bedrockAdapter: ProviderAdapter = {
  name: "bedrock",
  basePath: "",

  shape(method, path): RequestShape {
    const match = method === "POST" ? ROUTE.exec(path) : null;
    if (match === null) return { route: undefined, stream: false, model: undefined };
    let model: string | undefined;
    try {
      model = decodeURIComponent(match[1] as string);
    } catch {
      model = match[1];
    }
    return { route: "chat", stream: match[2] === "converse-stream", model };
  },

  checkAuth,

  normalize(request: RecordedRequest): NormalizedRequest {
    const body = request.body;
    if (!isRecord(body))
      throw new InvalidRequestError(
        "Malformed input request, please reformat your input and try again.",
      );
    if (!Array.isArray(body.messages) || body.messages.length === 0)
      throw new InvalidRequestError(
        "1 validation error detected: Value null at 'messages' failed to satisfy constraint: Member must not be null",
      );
    const model = request.model ?? "";
    let promptChars = textOf(body.system).length;
    let lastRole: NormalizedRequest["lastRole"];
    let lastUserText = "";
    for (const message of body.messages) {
      if (!isRecord(message)) continue;
      if (message.role !== "user" && message.role !== "assistant")
        throw new InvalidRequestError(
          `Value '${String(message.role)}' at 'messages.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]`,
        );
      if (!Array.isArray(message.content))
        throw new InvalidRequestError(
          "Value at 'messages.content' failed to satisfy constraint: Member must not be null",
        );
      const text = textOf(message.content);
      promptChars += text.length;
      const hasToolResult = message.content.some(
        (block) => isRecord(block) && isRecord(block.toolResult),
      );
      lastRole = message.role === "assistant" ? "assistant" : hasToolResult ? "tool" : "user";
      lastUserText = lastRole === "user" ? text : "";
    }
    const config = isRecord(body.toolConfig) ? body.toolConfig : {};
    const tools: NormalizedTool[] = [];
    if (Array.isArray(config.tools)) {
      for (const tool of config.tools) {
        const spec = isRecord(tool) && isRecord(tool.toolSpec) ? tool.toolSpec : undefined;
        if (spec === undefined || typeof spec.name !== "string") continue;
        const schema =
          isRecord(spec.inputSchema) && isRecord(spec.inputSchema.json)
            ? spec.inputSchema.json
            : undefined;
        tools.push({ name: spec.name, parameters: schema });
      }
    }
    return {
      model,
      stream: request.stream,
      promptChars,
      lastRole,
      lastUserText,
      tools,
      toolChoice: toolChoiceOf(config),
      // Converse has no JSON mode: structured output is a forced tool, answered as one.
      json: undefined,
      reasoning:
        isRecord(body.additionalModelRequestFields) &&
        isRecord(body.additionalModelRequestFields.thinking) &&
        body.additionalModelRequestFields.thinking.type === "enabled",
      sse: false,
      includeUsage: true,
      identity: `${model} ${identityOf(body, [])}`,
    };
  },

  authError: () => errorReply(403, "UnrecognizedClientException", ERRORS[401]?.message ?? ""),
  overloadedStatus: 503,
  finishReason: (hasToolCalls) => (hasToolCalls ? "tool_use" : "end_turn"),
  messageId: (prng: Prng) => randomUUID(prng),
  toolCallId: (prng: Prng) => `tooluse_${randomId(prng, 22)}`,
  requestId: (prng: Prng) => randomUUID(prng),

  successHeaders(stream, requestId) {
    return {
      "content-type": stream ? EVENT_STREAM_TYPE : JSON_TYPE,
      "x-amzn-requestid": requestId,
    };
  },

  renderJSON(c: ResolvedCompletion) {
    const content: unknown[] = [];
    if (c.reasoning !== "")
      content.push({
        reasoningContent: { reasoningText: { text: c.reasoning, signature: signatureOf(c) } },
      });
    if (c.text !== "" || c.toolCalls.length === 0) content.push({ text: c.text });
    for (const call of c.toolCalls)
      content.push({ toolUse: { toolUseId: call.id, name: call.name, input: call.arguments } });
    return {
      output: { message: { role: "assistant", content } },
      stopReason: c.finishReason,
      usage: usageOf(c),
      metrics: { latencyMs: 312 },
    };
  },

  renderFrames(c, _request, chunkSize): WireFrame[] {
    const frames: WireFrame[] = [eventFrame("messageStart", { role: "assistant" })];
    let index = 0;
    const delta = (payload: unknown) =>
      frames.push(eventFrame("contentBlockDelta", { contentBlockIndex: index, delta: payload }));
    const stop = () => {
      frames.push(eventFrame("contentBlockStop", { contentBlockIndex: index }));
      index++;
    };
    if (c.reasoning !== "") {
      for (const piece of chunkText(c.reasoning, chunkSize))
        delta({ reasoningContent: { text: piece } });
      delta({ reasoningContent: { signature: signatureOf(c) } });
      stop();
    }
    if (c.text !== "" || c.toolCalls.length === 0) {
      // Text blocks have no contentBlockStart: the first delta opens them.
      for (const piece of chunkText(c.text, chunkSize)) delta({ text: piece });
      stop();
    }
    for (const call of c.toolCalls) {
      frames.push(
        eventFrame("contentBlockStart", {
          contentBlockIndex: index,
          start: { toolUse: { toolUseId: call.id, name: call.name } },
        }),
      );
      for (const fragment of chunkText(JSON.stringify(call.arguments), ARGUMENT_FRAGMENT))
        delta({ toolUse: { input: fragment } });
      stop();
    }
    frames.push(eventFrame("messageStop", { stopReason: c.finishReason }));
    frames.push(eventFrame("metadata", { usage: usageOf(c), metrics: { latencyMs: 312 } }));
    return frames;
  },

  /** A recorded line is one event as the AWS SDK hands it out: `{"contentBlockDelta": {…}}`. */
  frameFixture(lines) {
    return lines.map((line) => {
      const parsed: unknown = JSON.parse(line);
      const [type, payload] = isRecord(parsed) ? (Object.entries(parsed)[0] ?? ["", {}]) : ["", {}];
      return eventFrame(type, isRecord(payload) ? payload : {});
    });
  },

  errorBody(status, reply: MockErrorReply, _requestId, message) {
    if (reply.body !== undefined) return reply.body;
    return { message: message ?? errorShape(status).message };
  },

  errorHeaders(status, requestId, reply) {
    return {
      ...retryAfterHeaders(reply),
      "content-type": JSON_TYPE,
      "x-amzn-requestid": requestId,
      "x-amzn-errortype": `${errorShape(status).type}${CORAL}`,
    };
  },

  midStreamErrorFrame() {
    return exceptionFrame(
      "internalServerException",
      "The system encountered an unexpected error during processing. Try your request again.",
    );
  },

  malformedFrame: () =>
    codec.encode({
      headers: {
        ":event-type": { type: "string", value: "contentBlockDelta" },
        ":content-type": { type: "string", value: JSON_TYPE },
        ":message-type": { type: "string", value: "event" },
      },
      body: fromUtf8('{"contentBlockIndex":0,"delta":{"text":"cut'),
    }),

  modelsBody: () => ({}),

  notFound(method, path) {
    return errorReply(404, "UnknownOperationException", `No route for ${method} ${path}`);
  },
};

function randomUUID(prng: Prng): string {
  const hex = randomHex(prng, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
