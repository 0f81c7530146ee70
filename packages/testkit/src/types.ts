/** The wire formats the mock servers speak, in one list for the CLI and for suites that visit each. */
export const PROVIDER_NAMES = [
  "openai",
  "anthropic",
  "gemini",
  "ollama",
  "azure-openai",
  "mistral",
  "bedrock",
] as const;

/** One of `PROVIDER_NAMES`. */
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** Faults that random injection (`faults.kinds`) can pick. */
export type FaultKind =
  | "rate-limit"
  | "server-error"
  | "overloaded"
  | "reset"
  | "hang-headers"
  | "malformed-json"
  | "error-mid-stream"
  | "auth";

/** A milliseconds value, or an inclusive `[min, max]` range drawn per request from the seeded PRNG. */
export type MsRange = number | [min: number, max: number];

export interface LatencyOptions {
  /** Delay before the response headers are written. */
  headersMs?: MsRange;
  /** Delay between two streamed frames (and before the body of a JSON reply). */
  chunkMs?: MsRange;
}

export interface FaultOptions {
  /** Probability in [0, 1] that a request (not scripted by `enqueue`/`when`) gets a fault. */
  rate: number;
  kinds: FaultKind[];
  seed?: number;
  /** Retry hint of injected `rate-limit` faults. Default 1000 ms. */
  retryAfterMs?: number;
}

/** One request as the server received it. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  /** Query string parameters (e.g. Gemini's `alt=sse`, `key=`). */
  query: Record<string, string>;
  /** Header names lower-cased; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The parsed JSON body, or `undefined` when there is none (or it is not JSON). */
  body: unknown;
  /** Whether the client asked for a streamed response. */
  stream: boolean;
  model: string | undefined;
  /** `Date.now()` when the request body was complete. */
  at: number;
}

export interface MockToolCall {
  id?: string;
  name: string;
  arguments: Record<string, unknown>;
}

export interface MockUsage {
  input?: number;
  output?: number;
  cached?: number;
  reasoning?: number;
}

/** A successful completion, rendered in the provider's own wire format. */
export interface MockCompletionReply {
  text?: string;
  toolCalls?: MockToolCall[];
  reasoning?: string;
  /** Provider-native finish reason (`stop`, `end_turn`, `STOP`…); derived when omitted. */
  finishReason?: string;
  usage?: MockUsage;
  headers?: Record<string, string>;
  model?: string;
}

/** An HTTP error; `body` defaults to the provider's real error body for that status. */
export interface MockErrorReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  retryAfterSeconds?: number;
  retryAfterMs?: number;
}

export type MockFaultName = "reset" | "hang-headers" | "malformed-json" | "error-mid-stream";

/** A transport-level fault. `afterChunks`: frames written before the fault strikes. */
export interface MockFaultReply {
  fault: MockFaultName;
  afterChunks?: number;
}

/** Replays a recorded fixture, e.g. `"openai/openai-text"`: the JSON or the chunks file. */
export interface MockFixtureReply {
  fixture: string;
}

export type MockReply = MockCompletionReply | MockErrorReply | MockFaultReply | MockFixtureReply;

export type Responder = (request: RecordedRequest) => MockReply | undefined;

export interface MockProviderOptions {
  provider: ProviderName;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  latency?: LatencyOptions;
  /** Seeds latency draws, the default responder's variety and fault injection. Default 1. */
  seed?: number;
  /** Characters per streamed text delta; by default text streams word by word. */
  chunkSize?: number;
  faults?: FaultOptions;
  /** Custom default responder; returning `undefined` falls back to the built-in one. */
  responder?: Responder;
  /** When set, only this API key is accepted; any other gets the provider's real 401. */
  apiKey?: string;
  /** Requests kept in `requests` (oldest dropped first). Default 10 000; 0 records none. */
  maxRecorded?: number;
}

export interface MockProviderStats {
  requests: number;
  byStatus: Record<number, number>;
  faults: Record<string, number>;
  /** Connections accepted since start (keep-alive reuse keeps this low). */
  connections: number;
  /** Connections open right now. */
  openConnections: number;
}

export interface WhenOptions {
  /** How many requests this rule answers before it is dropped. Default: unlimited. */
  times?: number;
}

export interface MockProvider {
  readonly provider: ProviderName;
  /** What to pass as `baseURL` to the official SDK and to our provider packages. */
  readonly baseURL: string;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  enqueue(...replies: MockReply[]): void;
  when(
    matcher: (request: RecordedRequest) => boolean,
    reply: MockReply | ((request: RecordedRequest) => MockReply),
    options?: WhenOptions,
  ): void;
  setFaults(faults: FaultOptions | undefined): void;
  setLatency(latency: LatencyOptions | undefined): void;
  stats(): MockProviderStats;
  /** Clears recorded requests, the queue, the matchers and the stats. */
  reset(): void;
  /** Closes the server and every socket, including held (`hang-headers`) requests. */
  close(): Promise<void>;
}
