import type { ProviderMetadata } from "@llm/core";

/**
 * What a Gemini tool call carries in `providerMetadata.gemini`: the thought
 * signature Gemini put on its `functionCall` part. Gemini 3 validates it
 * when the call comes back in the history, so it is kept on the call it
 * signs (not only on reasoning text, which is absent unless thoughts are
 * requested) and sent back on the next turn.
 */
export interface GeminiToolCallMetadata {
  thoughtSignature: string;
}

/** Where a part's signature sits in a response, for the `ParseError` of one that is not a string. */
export const SIGNATURE_PATH = "candidates[0].content.parts[].thoughtSignature";

/** `providerMetadata` for a call Gemini signed; `undefined` for an unsigned one. */
export function geminiToolCallMetadata(
  thoughtSignature: string | undefined,
): ProviderMetadata | undefined {
  return thoughtSignature === undefined ? undefined : { gemini: { thoughtSignature } };
}

/** The thought signature kept on a tool call, when it has one (and it is a string). */
export function thoughtSignatureOf(metadata: ProviderMetadata | undefined): string | undefined {
  const signature = metadata?.gemini?.thoughtSignature;
  return typeof signature === "string" ? signature : undefined;
}
