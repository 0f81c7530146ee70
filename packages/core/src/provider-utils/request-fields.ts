import type { ChatRequest, ResponseFormat, ToolChoice, ToolDefinition } from "../request.js";
import { REQUEST_DEFAULT_KEYS, type RequestDefaults } from "./request-defaults.js";

/** The request fields a provider sends under its own wire names, with their request-side types. */
export interface RequestFieldValues {
  temperature: number;
  topP: number;
  topK: number;
  maxTokens: number;
  stop: string[];
  seed: number;
  frequencyPenalty: number;
  presencePenalty: number;
  tools: ToolDefinition[];
  toolChoice: ToolChoice;
  responseFormat: ResponseFormat;
}

export type RequestFieldName = keyof RequestFieldValues;

/**
 * Where one field goes on the wire: a key, or a key and a conversion from our
 * value to the provider's (e.g. `ToolDefinition[]` → its tool params).
 */
export type WireField<F extends RequestFieldName, K extends string = string> =
  | K
  | { readonly key: K; readonly convert: (value: RequestFieldValues[F]) => unknown };

/**
 * A provider's wire-name table, e.g. `{ temperature: "temperature", maxTokens:
 * "max_tokens", seed: "random_seed" }`. The table's key order is the order the
 * fields are written in, so a body keeps the key order (and bytes) the
 * provider's SDK sends. Fields a provider has no place for are left out.
 */
export type WireNames<K extends string = string> = {
  readonly [F in RequestFieldName]?: WireField<F, K>;
};

/**
 * Writes a request's fields onto `target` (a body, or a nested object such as
 * Gemini's `generationConfig`); returns whether it wrote any.
 */
export type RequestFieldWriter<T extends object> = (
  target: T,
  request: ChatRequest,
  defaults: RequestDefaults | undefined,
) => boolean;

interface Entry {
  field: RequestFieldName;
  key: string;
  convert: ((value: never) => unknown) | undefined;
  /** Only the `RequestDefaults` keys may come from `settings.defaults`; tools and formats never do. */
  fromDefaults: boolean;
}

const DEFAULTABLE: ReadonlySet<string> = new Set(REQUEST_DEFAULT_KEYS);

/**
 * THE rule every provider follows for its request fields: a field the request
 * sets wins, else the client's `settings.defaults` fill it, else it is left
 * out; so is an empty array (`stop: []`, `tools: []`), which providers
 * either reject or treat as unset.
 *
 * The table is read once, here, into a flat list: a call walks that list (no
 * closures, no per-call allocation besides what `convert` returns). A field a
 * provider requires (Anthropic's `max_tokens`) is seeded in the body literal
 * with its fallback; writing an existing key keeps its place in the key order.
 */
export function requestFieldWriter<T extends object>(
  names: WireNames<Extract<keyof T, string>>,
): RequestFieldWriter<T> {
  const entries: Entry[] = [];
  for (const field of Object.keys(names) as RequestFieldName[]) {
    const spec = names[field] as WireField<RequestFieldName> | undefined;
    if (spec === undefined) continue;
    entries.push(
      typeof spec === "string"
        ? { field, key: spec, convert: undefined, fromDefaults: DEFAULTABLE.has(field) }
        : {
            field,
            key: spec.key,
            convert: spec.convert as (value: never) => unknown,
            fromDefaults: DEFAULTABLE.has(field),
          },
    );
  }
  return (target, request, defaults) => {
    const out = target as Record<string, unknown>;
    const fallback = defaults as Readonly<Record<string, unknown>> | undefined;
    let wrote = false;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] as Entry;
      let value: unknown = request[entry.field];
      if (value === undefined && entry.fromDefaults && fallback !== undefined)
        value = fallback[entry.field];
      if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
      out[entry.key] = entry.convert === undefined ? value : entry.convert(value as never);
      wrote = true;
    }
    return wrote;
  };
}
