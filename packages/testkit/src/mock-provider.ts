import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { isRecord } from "@llm/core";
import { defaultReply } from "./default-responder.js";
import { type EmbeddingRoute, matchEmbeddingRoute } from "./embeddings/embedding-routes.js";
import { readFixture } from "./fixtures.js";
import { asString, InvalidRequestError, type NormalizedRequest } from "./normalized-request.js";
import { Prng } from "./prng.js";
import type { ProviderAdapter, ResolvedCompletion, WireFrame } from "./provider-adapter.js";
import { adapters } from "./providers/index.js";
import { drawFault, faultReply, ReplyScript } from "./reply-selection.js";
import { estimateTokens } from "./text-chunks.js";
import type {
  FaultOptions,
  LatencyOptions,
  MockCompletionReply,
  MockErrorReply,
  MockFaultReply,
  MockProvider,
  MockProviderOptions,
  MockProviderStats,
  MockReply,
  MsRange,
  RecordedRequest,
  WhenOptions,
} from "./types.js";

const DEFAULT_MAX_RECORDED = 10_000;
const DEFAULT_REPLY_CACHE = 4_096;
// Generous so benchmark clients keep their pooled connections between bursts.
const KEEP_ALIVE_MS = 120_000;

/** What the server writes after the status line and headers. */
type Ending = "end" | "destroy";

/**
 * Starts a mock provider on 127.0.0.1 (a free port by default) that speaks the provider's
 * real wire format. Always `close()` it: it holds sockets open for keep-alive.
 */
export async function startMockProvider(options: MockProviderOptions): Promise<MockProvider> {
  const mock = createMockProvider(options);
  await mock.listen(options.host ?? "127.0.0.1", options.port ?? 0);
  return mock;
}

/**
 * The server of `startMockProvider`, not yet listening (its `baseURL` is "" until
 * `listen()` resolves): for a test file's hooks, which start it later.
 */
export function createMockProvider(
  options: MockProviderOptions,
): MockProvider & { listen(host: string, port: number): Promise<void> } {
  const adapter = adapters[options.provider];
  if (adapter === undefined) {
    throw new Error(
      `startMockProvider: unknown provider "${String(options.provider)}"; expected one of ${Object.keys(adapters).join(", ")}`,
    );
  }
  return new MockProviderServer(adapter, options);
}

class MockProviderServer implements MockProvider {
  readonly provider;
  readonly requests: RecordedRequest[] = [];
  baseURL = "";
  origin = "";
  port = 0;

  private readonly server: Server;
  private readonly script = new ReplyScript();
  private readonly seed: number;
  private readonly ids: Prng;
  private readonly latencyPrng: Prng;
  private faultPrng: Prng;
  private latency: LatencyOptions | undefined;
  private faults: FaultOptions | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly fixtureFrames = new Map<string, WireFrame[]>();
  private readonly defaults = new Map<string, MockCompletionReply>();
  private readonly maxRecorded: number;
  private counters = emptyStats();
  private closing: Promise<void> | undefined;

  constructor(
    private readonly adapter: ProviderAdapter,
    private readonly options: MockProviderOptions,
  ) {
    this.provider = adapter.name;
    this.seed = options.seed ?? 1;
    this.ids = new Prng(this.seed);
    this.latencyPrng = new Prng(this.seed + 1);
    this.faultPrng = new Prng(options.faults?.seed ?? this.seed + 2);
    this.latency = options.latency;
    this.faults = options.faults;
    this.maxRecorded = options.maxRecorded ?? DEFAULT_MAX_RECORDED;
    this.server = createServer({ noDelay: true, keepAlive: true }, (req, res) =>
      this.receive(req, res),
    );
    this.server.keepAliveTimeout = KEEP_ALIVE_MS;
    this.server.headersTimeout = KEEP_ALIVE_MS + 1_000;
    // Held (`hang-headers`) requests must stay open until close(), not time out.
    this.server.requestTimeout = 0;
    this.server.on("connection", (socket: Socket) => {
      this.counters.connections++;
      this.counters.openConnections++;
      socket.on("close", () => {
        this.counters.openConnections--;
      });
    });
  }

  listen(host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        this.server.off("error", reject);
        const address = this.server.address() as AddressInfo;
        const hostPart = address.family === "IPv6" ? `[${address.address}]` : address.address;
        this.port = address.port;
        this.origin = `http://${hostPart}:${address.port}`;
        this.baseURL = `${this.origin}${this.adapter.basePath}`;
        resolve();
      });
    });
  }

  enqueue(...replies: MockReply[]): void {
    this.script.enqueue(replies);
  }

  when(
    matcher: (request: RecordedRequest) => boolean,
    reply: MockReply | ((request: RecordedRequest) => MockReply),
    options?: WhenOptions,
  ): void {
    this.script.when({ matcher, reply }, options?.times);
  }

  setFaults(faults: FaultOptions | undefined): void {
    this.faults = faults;
    if (faults?.seed !== undefined) this.faultPrng = new Prng(faults.seed);
  }

  setLatency(latency: LatencyOptions | undefined): void {
    this.latency = latency;
  }

  stats(): MockProviderStats {
    const { requests, byStatus, faults, connections, openConnections } = this.counters;
    return {
      requests,
      byStatus: { ...byStatus },
      faults: { ...faults },
      connections,
      openConnections,
    };
  }

  reset(): void {
    this.requests.length = 0;
    this.script.clear();
    const { connections, openConnections } = this.counters;
    this.counters = { ...emptyStats(), connections, openConnections };
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const timer of this.timers) clearTimeout(timer);
      this.timers.clear();
      this.server.close(() => resolve());
      // Also destroys held requests and idle keep-alive sockets, so close() never waits.
      this.server.closeAllConnections();
    });
    return this.closing;
  }

  private receive(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => this.handle(req, res, chunks));
  }

  private handle(req: IncomingMessage, res: ServerResponse, chunks: Buffer[]): void {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    const query: Record<string, string> =
      q === -1 ? {} : Object.fromEntries(new URLSearchParams(url.slice(q + 1)));
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
    }
    let body: unknown;
    let bodyIsJSON = true;
    if (chunks.length > 0) {
      const text =
        chunks.length === 1
          ? (chunks[0] as Buffer).toString("utf8")
          : Buffer.concat(chunks).toString("utf8");
      try {
        body = JSON.parse(text);
      } catch {
        bodyIsJSON = false;
      }
    }
    const method = req.method ?? "GET";
    const embeddings = matchEmbeddingRoute(this.adapter.name, method, path);
    const shape =
      embeddings === undefined
        ? this.adapter.shape(method, path, query, body)
        : embeddingShape(embeddings, body);
    const recorded: RecordedRequest = {
      method,
      path,
      query,
      headers,
      body,
      stream: shape.stream,
      model: shape.model,
      at: Date.now(),
    };
    this.record(recorded);
    const requestId = this.adapter.requestId(this.ids);
    if (embeddings !== undefined) {
      this.answerEmbeddings(res, embeddings, recorded, bodyIsJSON, requestId);
      return;
    }

    if (shape.route === undefined) {
      this.sendError(res, this.adapter.notFound(method, path), requestId);
      return;
    }
    const authError = this.adapter.checkAuth(recorded, this.options.apiKey);
    if (authError !== undefined) {
      this.sendError(res, authError, requestId);
      return;
    }
    if (shape.route === "models") {
      this.sendJSON(
        res,
        200,
        this.adapter.successHeaders(false, requestId, recorded),
        this.adapter.modelsBody(),
      );
      return;
    }
    if (!bodyIsJSON) {
      this.sendError(
        res,
        { status: 400 },
        requestId,
        "We could not parse the JSON body of your request.",
      );
      return;
    }
    let request: NormalizedRequest;
    try {
      request = this.adapter.normalize(recorded);
    } catch (error) {
      const message = error instanceof InvalidRequestError ? error.message : String(error);
      this.sendError(res, { status: 400 }, requestId, message);
      return;
    }

    let reply: MockReply | undefined;
    try {
      reply = this.choose(recorded, request);
    } catch (error) {
      const message = `mock responder failed: ${error instanceof Error ? error.message : String(error)}`;
      this.sendError(res, { status: 500 }, requestId, message);
      return;
    }
    this.dispatch(res, reply, recorded, request, requestId);
  }

  /**
   * An embeddings call: auth, then a scripted reply or an injected fault as
   * for chat (errors, `reset`, `hang-headers`, `malformed-json`; latency
   * applies), else the seeded vectors of the inputs. A completion reply
   * scripted for it answers with the default vectors.
   */
  private answerEmbeddings(
    res: ServerResponse,
    route: EmbeddingRoute,
    recorded: RecordedRequest,
    bodyIsJSON: boolean,
    requestId: string,
  ): void {
    const authError = this.adapter.checkAuth(recorded, this.options.apiKey);
    if (authError !== undefined) {
      this.sendError(res, authError, requestId);
      return;
    }
    let body: string;
    try {
      if (!bodyIsJSON)
        throw new InvalidRequestError("We could not parse the JSON body of your request.");
      body = JSON.stringify(route.render(route.parse(recorded.body), this.seed));
    } catch (error) {
      const message = error instanceof InvalidRequestError ? error.message : String(error);
      this.sendError(res, { status: 400 }, requestId, message);
      return;
    }
    let reply = this.script.take(recorded);
    if (reply !== undefined && "fault" in reply) this.countFault(reply.fault);
    if (reply === undefined) {
      const kind = drawFault(this.faults, this.faultPrng);
      if (kind !== undefined && this.faults !== undefined) {
        this.countFault(kind);
        reply = faultReply(kind, this.faults, this.adapter);
      }
    }
    const headers = this.adapter.successHeaders(false, requestId, recorded);
    if (reply !== undefined && "status" in reply) {
      if (reply.status >= 300) {
        this.sendError(res, reply, requestId);
        return;
      }
      this.sendJSON(res, reply.status, { ...headers, ...reply.headers }, reply.body ?? {});
      return;
    }
    if (reply !== undefined && "fault" in reply) {
      this.sendFaultyJSON(res, headers, body, reply);
      return;
    }
    this.deliver(
      res,
      200,
      { ...headers, "content-length": String(Buffer.byteLength(body)) },
      [body],
      "end",
    );
  }

  private record(request: RecordedRequest): void {
    this.counters.requests++;
    if (this.maxRecorded <= 0) return;
    this.requests.push(request);
    if (this.requests.length > this.maxRecorded) this.requests.shift();
  }

  private choose(recorded: RecordedRequest, request: NormalizedRequest): MockReply {
    const scripted = this.script.take(recorded);
    if (scripted !== undefined) {
      if ("fault" in scripted) this.countFault(scripted.fault);
      return scripted;
    }
    const kind = drawFault(this.faults, this.faultPrng);
    if (kind !== undefined && this.faults !== undefined) {
      this.countFault(kind);
      return faultReply(kind, this.faults, this.adapter);
    }
    return this.options.responder?.(recorded) ?? this.defaultFor(request);
  }

  /** Default replies are pure functions of the request: memoised for benchmark traffic. */
  private defaultFor(request: NormalizedRequest): MockCompletionReply {
    let reply = this.defaults.get(request.identity);
    if (reply === undefined) {
      reply = defaultReply(request, this.seed);
      if (this.defaults.size >= DEFAULT_REPLY_CACHE) this.defaults.clear();
      this.defaults.set(request.identity, reply);
    }
    return reply;
  }

  private countFault(kind: string): void {
    this.counters.faults[kind] = (this.counters.faults[kind] ?? 0) + 1;
  }

  private dispatch(
    res: ServerResponse,
    reply: MockReply,
    recorded: RecordedRequest,
    request: NormalizedRequest,
    requestId: string,
  ): void {
    if ("status" in reply) {
      if (reply.status < 300) {
        const headers = {
          ...this.adapter.successHeaders(false, requestId, recorded),
          ...reply.headers,
        };
        this.sendJSON(res, reply.status, headers, reply.body ?? {});
        return;
      }
      this.sendError(res, reply, requestId);
      return;
    }
    if ("fixture" in reply) {
      this.replayFixture(res, reply.fixture, recorded, request, requestId);
      return;
    }
    const completion = "fault" in reply ? this.defaultFor(request) : reply;
    const resolved = this.resolve(completion, request);
    const headers = {
      ...this.adapter.successHeaders(request.stream, requestId, recorded),
      ...completion.headers,
    };
    if (request.stream) {
      const frames = this.adapter.renderFrames(resolved, request, this.options.chunkSize);
      if ("fault" in reply) {
        this.sendFaultyStream(res, headers, frames, reply, requestId);
        return;
      }
      this.deliver(res, 200, headers, frames, "end");
      return;
    }
    const body = JSON.stringify(this.adapter.renderJSON(resolved));
    if ("fault" in reply) {
      this.sendFaultyJSON(res, headers, body, reply);
      return;
    }
    this.deliver(
      res,
      200,
      { ...headers, "content-length": String(Buffer.byteLength(body)) },
      [body],
      "end",
    );
  }

  private resolve(reply: MockCompletionReply, request: NormalizedRequest): ResolvedCompletion {
    const text = reply.text ?? "";
    const reasoning = reply.reasoning ?? "";
    const toolCalls = (reply.toolCalls ?? []).map((call) => ({
      id: call.id ?? this.adapter.toolCallId(this.ids),
      name: call.name,
      arguments: call.arguments,
    }));
    let outputChars = text.length;
    for (const call of toolCalls)
      outputChars += call.name.length + JSON.stringify(call.arguments).length;
    return {
      id: this.adapter.messageId(this.ids),
      model: reply.model ?? request.model,
      created: Math.floor(Date.now() / 1000),
      text,
      reasoning,
      toolCalls,
      finishReason: reply.finishReason ?? this.adapter.finishReason(toolCalls.length > 0),
      usage: {
        input: reply.usage?.input ?? estimateTokens(request.promptChars),
        output: reply.usage?.output ?? estimateTokens(outputChars),
        cached: reply.usage?.cached ?? 0,
        reasoning:
          reply.usage?.reasoning ?? (reasoning === "" ? 0 : estimateTokens(reasoning.length)),
      },
    };
  }

  private replayFixture(
    res: ServerResponse,
    name: string,
    recorded: RecordedRequest,
    request: NormalizedRequest,
    requestId: string,
  ): void {
    let fixture: ReturnType<typeof readFixture>;
    try {
      fixture = readFixture(name);
    } catch (error) {
      this.sendError(res, { status: 500 }, requestId, `mock: ${(error as Error).message}`);
      return;
    }
    const headers = this.adapter.successHeaders(request.stream, requestId, recorded);
    if (request.stream) {
      if (fixture.chunks === undefined) {
        this.sendError(
          res,
          { status: 500 },
          requestId,
          `mock: fixture "${name}" has no .chunks.txt`,
        );
        return;
      }
      const key = `${name}|${request.sse}`;
      let frames = this.fixtureFrames.get(key);
      if (frames === undefined) {
        frames = this.adapter.frameFixture(fixture.chunks, recorded);
        this.fixtureFrames.set(key, frames);
      }
      this.deliver(res, 200, headers, frames, "end");
      return;
    }
    if (fixture.json === undefined) {
      this.sendError(res, { status: 500 }, requestId, `mock: fixture "${name}" has no .json`);
      return;
    }
    // A recorded error body (e.g. Gemini's 429) replays with its own status.
    const error =
      isRecord(fixture.json) && isRecord(fixture.json.error) ? fixture.json.error : undefined;
    if (error !== undefined && typeof error.code === "number") {
      this.sendError(res, { status: error.code, body: fixture.json }, requestId);
      return;
    }
    this.sendJSON(res, 200, headers, fixture.json);
  }

  private sendFaultyStream(
    res: ServerResponse,
    headers: Record<string, string>,
    frames: WireFrame[],
    reply: MockFaultReply,
    requestId: string,
  ): void {
    if (reply.fault === "hang-headers") {
      this.hold(res);
      return;
    }
    const cut = Math.min(reply.afterChunks ?? Math.floor(frames.length / 2), frames.length - 1);
    const before = frames.slice(0, Math.max(cut, 0));
    switch (reply.fault) {
      case "reset":
        this.deliver(res, 200, headers, before, "destroy");
        return;
      case "malformed-json":
        this.deliver(res, 200, headers, [...before, this.adapter.malformedFrame()], "end");
        return;
      default:
        this.deliver(
          res,
          200,
          headers,
          [...before, this.adapter.midStreamErrorFrame(requestId)],
          "end",
        );
        return;
    }
  }

  private sendFaultyJSON(
    res: ServerResponse,
    headers: Record<string, string>,
    body: string,
    reply: MockFaultReply,
  ): void {
    if (reply.fault === "hang-headers") {
      this.hold(res);
      return;
    }
    const half = body.slice(0, Math.floor(body.length / 2));
    if (reply.fault === "malformed-json") {
      this.deliver(
        res,
        200,
        { ...headers, "content-length": String(Buffer.byteLength(half)) },
        [half],
        "end",
      );
      return;
    }
    // A non-streaming body has no event stream to break: `reset` and `error-mid-stream`
    // both announce the full length, send half of it and drop the connection.
    this.deliver(
      res,
      200,
      { ...headers, "content-length": String(Buffer.byteLength(body)) },
      [half],
      "destroy",
    );
  }

  /** Never answers: the request stays open until the client gives up or close() runs. */
  private hold(_res: ServerResponse): void {}

  private sendJSON(
    res: ServerResponse,
    status: number,
    headers: Record<string, string>,
    body: unknown,
  ): void {
    const text = JSON.stringify(body);
    this.deliver(
      res,
      status,
      { ...headers, "content-length": String(Buffer.byteLength(text)) },
      [text],
      "end",
    );
  }

  private sendError(
    res: ServerResponse,
    reply: MockErrorReply,
    requestId: string,
    message?: string,
  ): void {
    const body = this.adapter.errorBody(reply.status, reply, requestId, message);
    const text = typeof body === "string" ? body : JSON.stringify(body);
    const headers = {
      ...this.adapter.errorHeaders(reply.status, requestId, reply),
      ...(typeof body === "string" ? { "content-type": "text/plain; charset=utf-8" } : {}),
      ...reply.headers,
      "content-length": String(Buffer.byteLength(text)),
    };
    this.deliver(res, reply.status, headers, [text], "end");
  }

  /**
   * Writes status, headers and frames with the configured latency, then ends or destroys
   * the connection. Without latency everything goes out in one write.
   */
  private deliver(
    res: ServerResponse,
    status: number,
    headers: Record<string, string>,
    frames: WireFrame[],
    ending: Ending,
  ): void {
    this.counters.byStatus[status] = (this.counters.byStatus[status] ?? 0) + 1;
    const chunkRange = this.latency?.chunkMs;
    const writeAll = () => {
      // The client may have given up while the headers were delayed.
      if (res.destroyed) return;
      res.writeHead(status, headers);
      if (chunkRange === undefined || chunkRange === 0 || frames.length <= 1) {
        const data = frames.length === 1 ? (frames[0] as WireFrame) : joinFrames(frames);
        return ending === "end" ? void res.end(data) : this.writeThenReset(res, data);
      }
      const chunkMs = this.draw(chunkRange);
      let index = 0;
      const next = () => {
        if (res.destroyed) return;
        const frame = frames[index++] as WireFrame;
        if (index < frames.length) {
          res.write(frame);
          return this.later(chunkMs, next);
        }
        if (ending === "end") res.end(frame);
        else this.writeThenReset(res, frame);
      };
      next();
    };
    this.later(this.draw(this.latency?.headersMs), writeAll);
  }

  /** Lets the written bytes reach the client, then resets the connection mid-body. */
  private writeThenReset(res: ServerResponse, data: WireFrame): void {
    const socket = res.socket;
    if (data.length === 0) res.flushHeaders();
    res.write(data, () => socket?.destroy());
  }

  private later(ms: number, fn: () => void): void {
    if (ms <= 0) {
      fn();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private draw(range: MsRange | undefined): number {
    if (range === undefined) return 0;
    if (typeof range === "number") return range;
    return this.latencyPrng.int(range[0], range[1]);
  }
}

/** How an embeddings call is recorded: never streamed; the model from the path (Gemini) or the body. */
function embeddingShape(route: EmbeddingRoute, body: unknown) {
  const model = route.pathModel ?? (isRecord(body) ? asString(body.model) : undefined);
  return { route: undefined, stream: false, model };
}

function emptyStats(): MockProviderStats & {
  byStatus: Record<number, number>;
  faults: Record<string, number>;
} {
  return { requests: 0, byStatus: {}, faults: {}, connections: 0, openConnections: 0 };
}

/** Text frames join as text; a binary frame among them makes the whole body bytes. */
function joinFrames(frames: WireFrame[]): WireFrame {
  if (frames.every((frame) => typeof frame === "string")) return frames.join("");
  return Buffer.concat(
    frames.map((frame) => (typeof frame === "string" ? Buffer.from(frame) : frame)),
  );
}
