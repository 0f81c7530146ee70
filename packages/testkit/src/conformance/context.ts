import type { ChatRequest, LLMClient, StreamEvent, Transport } from "@llm/core";
import { startMockProvider } from "../mock-provider.js";
import type { LatencyOptions, MockProvider } from "../types.js";
import type { ConformanceClientSettings, ProviderConformanceAdapter } from "./adapter.js";

/** What every section shares: the adapter, one server per file, and small helpers. */
export interface ConformanceContext {
  readonly adapter: ProviderConformanceAdapter;
  /** The shared server, reset before each test. */
  mock(): MockProvider;
  /** A client against the shared server (or `settings.baseURL`). */
  client(settings?: Partial<ConformanceClientSettings>): LLMClient;
  /** A server of its own (e.g. slow), closed after the test. */
  ownServer(latency?: LatencyOptions): Promise<MockProvider>;
  /** A pooled transport from the adapter, closed after the test. */
  pool(): Transport;
}

export const hello: ChatRequest = { messages: [{ role: "user", content: "Hello" }] };

/** A long answer, so a stream has many frames to abort, break or time out in. */
export const LONG_TEXT = "one two three four five six seven eight nine ten eleven twelve";

export async function drain(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** Polls until `condition` holds; a deadline, never a timing assertion. */
export async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Sockets the server saw closed: a finished keep-alive socket stays open, an aborted one closes. */
export const closedConnections = (server: MockProvider): number =>
  server.stats().connections - server.stats().openConnections;

export function startServer(
  adapter: ProviderConformanceAdapter,
  latency?: LatencyOptions,
): Promise<MockProvider> {
  return startMockProvider({
    provider: adapter.wireFormat,
    ...(latency === undefined ? {} : { latency }),
  });
}
