import { describe, expect, it } from "vitest";
import { collectStream } from "./collect-stream.js";
import { emptyUsage } from "./response.js";
import type { StreamEvent } from "./stream-event.js";
import { unsupportedSettings, withFinishWarnings } from "./warnings.js";

const events: StreamEvent[] = [
  { type: "start", id: "r", model: "m", provider: "p", origin: { type: "upstream" } },
  {
    type: "tool-call",
    index: 0,
    toolCall: {
      id: "c1",
      name: "weather",
      input: { city: "Oslo" },
      providerMetadata: { gemini: { thoughtSignature: "sig" } },
    },
  },
  {
    type: "finish",
    finishReason: "tool-calls",
    usage: emptyUsage(),
    warnings: [{ type: "other", message: "from the provider" }],
  },
];

async function* play(list: StreamEvent[]): AsyncGenerator<StreamEvent> {
  yield* list;
}

describe("warnings", () => {
  it("lists one unsupported-setting warning per field the request sets", () => {
    const request = { messages: [], topK: 3, seed: 1 };
    expect(unsupportedSettings(request, ["topK", "seed", "stop"])).toEqual([
      { type: "unsupported-setting", setting: "topK" },
      { type: "unsupported-setting", setting: "seed" },
    ]);
    expect(unsupportedSettings(request, ["topK"], "no top_k")).toEqual([
      { type: "unsupported-setting", setting: "topK", details: "no top_k" },
    ]);
    expect(unsupportedSettings({ messages: [] }, ["topK"])).toEqual([]);
  });

  it("adds warnings to the finish event, after any it had, and touches nothing else", async () => {
    const out: StreamEvent[] = [];
    for await (const event of withFinishWarnings(play(events), [
      { type: "unsupported-setting", setting: "topK" },
    ]))
      out.push(event);
    expect(out.slice(0, 2)).toEqual(events.slice(0, 2));
    expect(out[2]).toMatchObject({
      warnings: [
        { type: "other", message: "from the provider" },
        { type: "unsupported-setting", setting: "topK" },
      ],
    });
    const bare = { type: "finish", finishReason: "stop", usage: emptyUsage() } as const;
    for await (const event of withFinishWarnings(play([bare]), [{ type: "other", message: "x" }]))
      expect(event).toEqual({ ...bare, warnings: [{ type: "other", message: "x" }] });
  });

  it("reach the collected response, with each tool call's provider metadata", async () => {
    const response = await collectStream(play(events));
    expect(response.warnings).toEqual([{ type: "other", message: "from the provider" }]);
    expect(response.toolCalls[0]?.providerMetadata).toEqual({
      gemini: { thoughtSignature: "sig" },
    });
    expect(response.content[0]).toMatchObject({
      type: "tool-call",
      providerMetadata: { gemini: { thoughtSignature: "sig" } },
    });
  });
});
