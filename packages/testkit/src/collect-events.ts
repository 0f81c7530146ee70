import type { StreamEvent } from "@llm/core";

/** Every event of a stream, in order: what a test asserts on (core's `collectStream` folds them instead). */
export async function collectEvents(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}
