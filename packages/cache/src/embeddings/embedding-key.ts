import { hash as oneShotHash } from "node:crypto";
import type { EmbeddingRequest } from "@llm/core";
import { providerOptions } from "../key/canonical-request.js";

/** Bumped when the canonical form changes, so old keys never alias new ones. */
export const EMBEDDING_KEY_VERSION = 1;

/** What, besides the text, decides a vector — the same scoping as a chat key. */
export interface EmbeddingKeyContext {
  provider: string;
  model: string;
  /** The client's scope text (see `keyScope`): instance, and credential tag under credential scope. */
  scope: string | undefined;
  dimensions: number | undefined;
  providerOptions: EmbeddingRequest["providerOptions"];
  /** Written in clear before the hash, as on chat keys, so `invalidatePrefix("ns:")` drops a namespace. */
  namespace: string | undefined;
}

/**
 * The keys of `texts` in one context: SHA-256 (hex) of the canonical
 * context followed by the text — the context's canonical form is written
 * once per batch, not once per text. Never holds a secret: the scope has the
 * credential only as an HMAC tag, and credential-like provider options are
 * dropped as in chat keys.
 */
export function embeddingKeys(texts: readonly string[], context: EmbeddingKeyContext): string[] {
  let head = `{"v":${EMBEDDING_KEY_VERSION},"kind":"embedding","provider":${JSON.stringify(context.provider)}`;
  head += `,"model":${JSON.stringify(context.model)}`;
  if (context.scope !== undefined) head += `,"scope":${JSON.stringify(context.scope)}`;
  if (context.dimensions !== undefined) head += `,"dimensions":${context.dimensions}`;
  if (context.providerOptions !== undefined) head += providerOptions(context.providerOptions);
  head += ',"text":';
  const prefix = context.namespace ? `${context.namespace}:` : "";
  return texts.map(
    (text) => `${prefix}${oneShotHash("sha256", `${head}${JSON.stringify(text)}}`, "hex")}`,
  );
}
