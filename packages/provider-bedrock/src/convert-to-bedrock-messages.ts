import type { Message } from "@llm/core";
import type { BedrockMessageParam, BedrockToolCall } from "./bedrock-api.js";

/** Our messages → the wire messages. */
export function convertToBedrockMessages(messages: readonly Message[]): BedrockMessageParam[] {
  const out: BedrockMessageParam[] = [];
  for (const message of messages) {
    switch (message.role) {
      case "system":
        out.push({ role: "system", content: message.content });
        break;
      case "user":
        out.push({
          role: "user",
          content:
            typeof message.content === "string"
              ? message.content
              : message.content.map((part) =>
                  part.type === "text"
                    ? { type: "text" as const, text: part.text }
                    : {
                        type: "image_url" as const,
                        image_url: {
                          url:
                            part.source.type === "url"
                              ? part.source.url
                              : `data:${part.source.mediaType};base64,${part.source.data}`,
                        },
                      },
                ),
        });
        break;
      case "assistant": {
        if (typeof message.content === "string") {
          out.push({ role: "assistant", content: message.content });
          break;
        }
        let text = "";
        const toolCalls: BedrockToolCall[] = [];
        for (const part of message.content) {
          if (part.type === "text") text += part.text;
          else if (part.type === "tool-call") {
            toolCalls.push({
              id: part.toolCallId,
              type: "function",
              function: { name: part.toolName, arguments: JSON.stringify(part.input) },
            });
          }
        }
        out.push(
          toolCalls.length > 0
            ? { role: "assistant", content: text || null, tool_calls: toolCalls }
            : { role: "assistant", content: text },
        );
        break;
      }
      case "tool":
        for (const result of message.content) {
          out.push({
            role: "tool",
            tool_call_id: result.toolCallId,
            content:
              typeof result.output === "string" ? result.output : JSON.stringify(result.output),
          });
        }
        break;
    }
  }
  return out;
}
