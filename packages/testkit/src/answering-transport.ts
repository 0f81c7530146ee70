import { createFetchTransport, type Transport } from "@llm/core";

/**
 * A transport whose every request is answered 200 with `body` as `contentType`,
 * without a socket: for tests of how a provider reads a body of an unexpected
 * shape (`application/json` for an answer, `text/event-stream` for a stream).
 */
export function answeringTransport(body: string, contentType: string): Transport {
  return createFetchTransport({
    fetch: async () =>
      new Response(body, { status: 200, headers: { "content-type": contentType } }),
  });
}
