import { hash } from "node:crypto";

/**
 * LangChain's prompt and LLM string as one unambiguous text: the prompt's
 * length first, so no prompt can end where another's LLM string begins
 * (LangChain's own default joins them with `_`).
 */
export const joinPromptAndLLMString = (prompt: string, llmString: string): string =>
  `${prompt.length}:${prompt}\n${llmString}`;

/**
 * The store key: SHA-256 (hex) of the encoder's text, after `namespace:`.
 * Hashed whatever the encoder returns, so neither the prompt nor anything an
 * LLM string may carry (a provider's identifying parameters) is ever written
 * in clear to a store, a log or a key listing.
 */
export function hashedKey(text: string, namespace: string | undefined): string {
  const digest = hash("sha256", text, "hex");
  return namespace ? `${namespace}:${digest}` : digest;
}
