import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError, LimitExceededError } from "../errors/errors.js";
import { emptyUsage } from "../response.js";
import type { StreamEvent } from "../stream-event.js";
import { scriptedClient } from "../test-support/scripted-client.js";
import { ObjectValidationError } from "./object-validation-error.js";
import { type ObjectStreamEvent, streamObject } from "./stream-object.js";

const Story = z.object({ title: z.string(), lines: z.array(z.string()) });
const ask = { messages: [{ role: "user" as const, content: "A two-line poem" }] };

const start: StreamEvent = {
  type: "start",
  id: "s1",
  model: "fake-model",
  provider: "fake",
  origin: { type: "upstream" },
};
const finish: StreamEvent = {
  type: "finish",
  finishReason: "stop",
  usage: emptyUsage(),
  warnings: [{ type: "unsupported-setting", setting: "topK" }],
};
const deltas = (...parts: string[]): StreamEvent[] => [
  start,
  { type: "reasoning-delta", delta: "thinking {" },
  ...parts.map((delta): StreamEvent => ({ type: "text-delta", delta })),
  finish,
];

async function drain<T>(
  events: AsyncIterable<ObjectStreamEvent<T>>,
): Promise<ObjectStreamEvent<T>[]> {
  const out: ObjectStreamEvent<T>[] = [];
  for await (const event of events) out.push(event);
  return out;
}

describe("streamObject", () => {
  it("yields partial objects as the JSON streams, then the validated object once", async () => {
    const client = scriptedClient([
      { events: deltas('{"title":"Fo', 'g","lines":["Grey', ' sea",', '"still"]}') },
    ]);
    const events = await drain(streamObject(client, { ...ask, schema: Story }));
    expect(events.slice(0, -1)).toEqual([
      { type: "partial", partial: { title: "Fo" } },
      { type: "partial", partial: { title: "Fog", lines: ["Grey"] } },
      { type: "partial", partial: { title: "Fog", lines: ["Grey sea"] } },
      { type: "partial", partial: { title: "Fog", lines: ["Grey sea", "still"] } },
    ]);
    const last = events.at(-1);
    expect(last?.type).toBe("object");
    if (last?.type !== "object") return;
    expect(last.object).toEqual({ title: "Fog", lines: ["Grey sea", "still"] });
    expect(last.response.warnings).toEqual([{ type: "unsupported-setting", setting: "topK" }]);
    expect(client.calls[0]?.request.responseFormat).toMatchObject({
      type: "json_schema",
      strict: true,
    });
  });

  it("throws ObjectValidationError when the whole answer does not validate", async () => {
    const client = scriptedClient([{ events: deltas('{"title":"Fog"}') }]);
    const seen: ObjectStreamEvent<unknown>[] = [];
    const error = await (async () => {
      for await (const event of streamObject(client, { ...ask, schema: Story })) seen.push(event);
    })().catch((e) => e);
    expect(seen).toEqual([{ type: "partial", partial: { title: "Fog" } }]);
    expect(error).toBeInstanceOf(ObjectValidationError);
    expect(error.issues[0].path).toBe("lines");
    expect(error.text).toBe('{"title":"Fog"}');
  });

  it("stops reading past maxTextLength", async () => {
    const client = scriptedClient([{ events: deltas('{"title":"', "x".repeat(100), '"}') }]);
    const error = await drain(
      streamObject(client, { ...ask, schema: Story }, { maxTextLength: 50 }),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(LimitExceededError);
    expect(error).toMatchObject({ max: 50, where: "streamObject answer text" });
  });

  it("refuses bounds out of range before calling the client", async () => {
    const client = scriptedClient([{ events: deltas("{}") }]);
    for (const options of [{ maxTextLength: 0 }, { maxDepth: 0 }]) {
      await expect(
        drain(streamObject(client, { ...ask, schema: Story }, options)),
      ).rejects.toBeInstanceOf(ConfigError);
    }
    expect(client.calls).toHaveLength(0);
  });
});
