import { chatResponseProblem, ParseError } from "@llm/core";
import { describe, expect, it } from "vitest";
import { parseConverseResponse } from "./bedrock-chat-client.js";

const MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";

function converse(content: unknown[], extra: Record<string, unknown> = {}): unknown {
  return { output: { message: { role: "assistant", content } }, stopReason: "end_turn", ...extra };
}

describe("bedrock bodies of an unexpected shape", () => {
  it("drops wrong-typed usage counts and stop reason, keeping the answer valid", () => {
    const body = converse([{ text: "hi" }], {
      stopReason: 4,
      usage: { inputTokens: "3", outputTokens: 2, cacheReadInputTokens: -1 },
    });
    const answer = parseConverseResponse(body, {}, MODEL, false);
    expect(chatResponseProblem(answer)).toBeUndefined();
    expect(answer.usage).toEqual({ inputTokens: 0, outputTokens: 2, totalTokens: 2 });
    expect(answer.rawFinishReason).toBeUndefined();
  });

  it("fails a text block that is not a string with a ParseError naming its path", () => {
    expect(() => parseConverseResponse(converse([{ text: 5 }]), {}, MODEL, false)).toThrow(
      expect.objectContaining({ provider: "bedrock", where: "output.message.content[].text" }),
    );
  });

  it("fails a tool use whose id is not a string", () => {
    const body = converse([{ toolUse: { toolUseId: {}, name: "f", input: {} } }]);
    const error = (() => {
      try {
        return parseConverseResponse(body, {}, MODEL, false);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({ where: "output.message.content[].toolUse.toolUseId" });
  });

  it.each(['{"city":"Paris"}', ["Paris"], 2])(
    "fails a tool use whose input %j is not an object",
    (input) => {
      const body = converse([{ toolUse: { toolUseId: "t1", name: "weather", input } }]);
      expect(() => parseConverseResponse(body, {}, MODEL, false)).toThrow(
        expect.objectContaining({
          provider: "bedrock",
          where: "output.message.content[].toolUse.input",
        }),
      );
    },
  );

  it("reads a tool use without input as no arguments", () => {
    const body = converse([{ toolUse: { toolUseId: "t1", name: "now" } }]);
    expect(parseConverseResponse(body, {}, MODEL, false).toolCalls).toMatchObject([
      { id: "t1", name: "now", input: {} },
    ]);
  });
});
