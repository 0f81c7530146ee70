import { describe, expect, it } from "vitest";
import type { ChatResponse } from "../response.js";
import type { StreamEvent } from "../stream-event.js";
import type { CallWarning } from "../warnings.js";
import { withResponseWarnings, withStreamWarnings } from "./attach-warnings.js";

const usage = { inputTokens: 1, outputTokens: 1, totalTokens: 2 };
const response = (): ChatResponse => ({
  id: "r",
  model: "m",
  provider: "p",
  text: "",
  content: [],
  toolCalls: [],
  finishReason: "stop",
  usage,
  origin: { type: "upstream" },
});
const warning: CallWarning = { type: "unsupported-setting", setting: "topK" };

async function* events(): AsyncGenerator<StreamEvent, void, undefined> {
  yield { type: "text-delta", delta: "a" };
  yield { type: "finish", finishReason: "stop", usage };
}

describe("call warnings", () => {
  it("sets warnings on a response only when there are some", () => {
    expect(withResponseWarnings(response(), [warning]).warnings).toEqual([warning]);
    expect(withResponseWarnings(response(), [])).not.toHaveProperty("warnings");
  });

  it("puts warnings on a stream's finish event, and passes a stream without any through", async () => {
    const plain = events();
    expect(withStreamWarnings(plain, [])).toBe(plain);
    const out: StreamEvent[] = [];
    for await (const event of withStreamWarnings(events(), [warning])) out.push(event);
    expect(out.at(-1)).toEqual({
      type: "finish",
      finishReason: "stop",
      usage,
      warnings: [warning],
    });
  });
});
