import type { ChatRequest, Message } from "@llm/core";

/**
 * Tokens a request is charged before its usage is known: its text at about 4
 * characters a token (the usual rule of thumb for English on BPE tokenizers),
 * plus `maxTokens` — providers (OpenAI among them) count the largest answer a
 * request allows against tokens-per-minute when they admit it. The charge is
 * corrected with the real usage when the answer ends.
 */
export function estimateRequestTokens(request: ChatRequest): number {
  let chars = 0;
  for (const message of request.messages) chars += messageChars(message);
  if (request.tools) chars += JSON.stringify(request.tools).length;
  return Math.ceil(chars / 4) + (request.maxTokens ?? 0);
}

function messageChars(message: Message): number {
  if (typeof message.content === "string") return message.content.length;
  let chars = 0;
  for (const part of message.content) {
    switch (part.type) {
      case "text":
      case "reasoning":
        chars += part.text.length;
        break;
      case "tool-call":
        chars += JSON.stringify(part.input).length;
        break;
      case "tool-result":
        chars += JSON.stringify(part.output).length;
        break;
      // Images are priced by size, not text; providers' own per-image charge is small next to a TPM budget.
    }
  }
  return chars;
}
