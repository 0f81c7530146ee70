import type {
  AssistantContentPart,
  ChatRequest,
  Message,
  ResponseFormat,
  ToolChoice,
  ToolDefinition,
  UserContentPart,
} from "@llm/core";
import { canonicalJson, jsonString } from "./canonical-json.js";

/**
 * Bumped when the canonical form changes, so old keys can never alias new ones.
 * 2: the provider instance (`scope`) joined the key; v1 entries, which were
 * shared by every instance of a provider type, are never read again.
 */
export const KEY_FORMAT_VERSION = 2;

export interface CanonicalRequestContext {
  /** Provider type, e.g. `"openai"`. */
  provider: string;
  /** The client's default model, used when the request names none (`request.model ?? model`). */
  model?: string;
  /**
   * Who answers: the client's `cacheScope.instance` (endpoint, account and
   * deployment selectors — secret-free), plus a keyed credential tag under
   * credential scope. Absent for a client that cannot say.
   */
  scope?: string;
}

/**
 * The canonical text of everything in a request that can change the answer.
 * Written field by field in a fixed order (the fields are known, so nothing
 * is sorted at this level), into one string.
 *
 * Normalised, i.e. the same key:
 * - an absent member and one set to `undefined`;
 * - message content given as a string and as a single text part (written as the string);
 * - `isError: false` and no `isError` on a tool result;
 * - empty `tools`, `stop`, `providerOptions` and their absence;
 * - `responseFormat: { type: "text" }` and no response format (text is the default everywhere);
 * - the order of `stop` sequences (a set) and duplicate ones;
 * - key order inside tool schemas, tool inputs and provider options;
 * - credential-like members of `providerOptions` (`apiKey`, `headers`, …) are dropped.
 *
 * Deliberately NOT normalised: whitespace (a trailing space or newline changes
 * the tokens the model sees, and so can change the answer), letter case,
 * message order, tool order, and a parameter set to its provider default
 * (`temperature: 1` vs absent) — we cannot know every provider's defaults.
 *
 * Never included: `metadata`, and nothing from `CallOptions` (signal, headers,
 * timeouts) — those never reach this function.
 */
export function canonicalRequest(request: ChatRequest, context: CanonicalRequestContext): string {
  let out = `{"v":${KEY_FORMAT_VERSION},"provider":${JSON.stringify(context.provider)}`;
  if (context.scope !== undefined) out += `,"scope":${JSON.stringify(context.scope)}`;
  out += `,"model":${JSON.stringify(request.model ?? context.model ?? "")}`;
  out += `,"messages":${messages(request.messages)}`;
  if (request.tools !== undefined && request.tools.length > 0) {
    out += `,"tools":${tools(request.tools)}`;
  }
  if (request.toolChoice !== undefined) out += `,"toolChoice":${toolChoice(request.toolChoice)}`;
  if (request.responseFormat !== undefined && request.responseFormat.type !== "text") {
    out += `,"responseFormat":${responseFormat(request.responseFormat)}`;
  }
  out += num("temperature", request.temperature);
  out += num("topP", request.topP);
  out += num("topK", request.topK);
  out += num("maxTokens", request.maxTokens);
  if (request.stop !== undefined && request.stop.length > 0) out += `,"stop":${stop(request.stop)}`;
  out += num("seed", request.seed);
  out += num("frequencyPenalty", request.frequencyPenalty);
  out += num("presencePenalty", request.presencePenalty);
  if (request.providerOptions !== undefined) out += providerOptions(request.providerOptions);
  return `${out}}`;
}

const num = (name: string, value: number | undefined): string =>
  value === undefined ? "" : `,"${name}":${canonicalJson(value)}`;

function messages(list: readonly Message[]): string {
  const plain = textOnly(list);
  if (plain !== undefined) return JSON.stringify(plain);
  let out = "[";
  for (let i = 0; i < list.length; i++) {
    if (i > 0) out += ",";
    out += message(list[i]!);
  }
  return `${out}]`;
}

/**
 * A conversation made only of text — string content, or a single text part —
 * as `{ role, content: string }` objects, which is exactly its canonical form:
 * one native `JSON.stringify` then writes one flat string, instead of a piece
 * per message joined into a rope that hashing has to flatten again.
 * `undefined` when any message carries more than text.
 */
function textOnly(list: readonly Message[]): { role: string; content: string }[] | undefined {
  const plain = new Array<{ role: string; content: string }>(list.length);
  for (let i = 0; i < list.length; i++) {
    const m = list[i]!;
    const content = textContent(m);
    if (content === undefined) return undefined;
    plain[i] = { role: m.role, content };
  }
  return plain;
}

function textContent(m: Message): string | undefined {
  if (m.role !== "system" && m.role !== "user" && m.role !== "assistant") return undefined;
  if (typeof m.content === "string") return m.content;
  if (m.role === "system" || !Array.isArray(m.content)) return undefined;
  const parts = m.content as readonly { type?: unknown; text?: unknown }[];
  const only = parts.length === 1 ? parts[0] : undefined;
  return only?.type === "text" && typeof only.text === "string" ? only.text : undefined;
}

function message(m: Message): string {
  // The common case — string content, written { role, content } — is already
  // canonical as JSON.stringify writes it: one native call, one flat string.
  if (typeof m.content === "string" && isRoleThenContent(m)) return JSON.stringify(m);
  switch (m.role) {
    case "system":
      return `{"role":"system","content":${JSON.stringify(m.content)}}`;
    case "user":
      return `{"role":"user","content":${typeof m.content === "string" ? JSON.stringify(m.content) : userParts(m.content)}}`;
    case "assistant":
      return `{"role":"assistant","content":${typeof m.content === "string" ? JSON.stringify(m.content) : assistantParts(m.content)}}`;
    case "tool": {
      let out = `{"role":"tool","content":[`;
      for (let i = 0; i < m.content.length; i++) {
        const part = m.content[i]!;
        if (i > 0) out += ",";
        out += `{"type":"tool-result","toolCallId":${JSON.stringify(part.toolCallId)},"toolName":${JSON.stringify(part.toolName)},"output":${canonicalJson(part.output)}`;
        out += part.isError === true ? `,"isError":true}` : "}";
      }
      return `${out}]}`;
    }
    default:
      return canonicalJson(m);
  }
}

/** True when the object's own keys are exactly `role`, `content`, in that order. */
function isRoleThenContent(m: object): boolean {
  let index = 0;
  for (const key in m) {
    if (index === 0 ? key !== "role" : index === 1 ? key !== "content" : true) return false;
    index++;
  }
  return index === 2;
}

function userParts(parts: readonly UserContentPart[]): string {
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only?.type === "text") return JSON.stringify(only.text);
  let out = "[";
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i > 0) out += ",";
    if (part.type === "text") out += `{"type":"text","text":${JSON.stringify(part.text)}}`;
    else if (part.type === "image") {
      const s = part.source;
      out +=
        s.type === "url"
          ? `{"type":"image","url":${JSON.stringify(s.url)}}`
          : `{"type":"image","mediaType":${JSON.stringify(s.mediaType)},"data":${JSON.stringify(s.data)}}`;
    } else out += canonicalJson(part);
  }
  return `${out}]`;
}

function assistantParts(parts: readonly AssistantContentPart[]): string {
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only?.type === "text") return JSON.stringify(only.text);
  let out = "[";
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i > 0) out += ",";
    switch (part.type) {
      case "text":
        out += `{"type":"text","text":${JSON.stringify(part.text)}}`;
        break;
      case "reasoning":
        out += `{"type":"reasoning","text":${JSON.stringify(part.text)}`;
        out +=
          part.signature === undefined ? "}" : `,"signature":${JSON.stringify(part.signature)}}`;
        break;
      case "tool-call":
        out += `{"type":"tool-call","toolCallId":${JSON.stringify(part.toolCallId)},"toolName":${JSON.stringify(part.toolName)},"input":${canonicalJson(part.input)}}`;
        break;
      default:
        out += canonicalJson(part);
    }
  }
  return `${out}]`;
}

function tools(list: readonly ToolDefinition[]): string {
  let out = "[";
  for (let i = 0; i < list.length; i++) {
    const tool = list[i]!;
    if (i > 0) out += ",";
    out += `{"name":${jsonString(tool.name)}`;
    if (tool.description !== undefined) out += `,"description":${jsonString(tool.description)}`;
    out += `,"parameters":${canonicalJson(tool.parameters)}`;
    if (tool.strict !== undefined) out += `,"strict":${tool.strict}`;
    out += "}";
  }
  return `${out}]`;
}

const toolChoice = (choice: ToolChoice): string =>
  typeof choice === "string"
    ? JSON.stringify(choice)
    : `{"type":"tool","name":${JSON.stringify(choice.name)}}`;

function responseFormat(format: ResponseFormat): string {
  if (format.type !== "json_schema") return `{"type":${JSON.stringify(format.type)}}`;
  let out = `{"type":"json_schema","name":${JSON.stringify(format.name)},"schema":${canonicalJson(format.schema)}`;
  if (format.description !== undefined)
    out += `,"description":${JSON.stringify(format.description)}`;
  if (format.strict !== undefined) out += `,"strict":${format.strict}`;
  return `${out}}`;
}

function stop(sequences: readonly string[]): string {
  const unique = [...new Set(sequences)].sort();
  return canonicalJson(unique);
}

/** Members that carry credentials or transport details, never the question. */
const CREDENTIAL_MEMBER =
  /^(?:api[-_]?key|authorization|headers?|token|access[-_]?token|secret|password|credentials?)$/i;

/** `,"providerOptions":{…}` in canonical form (sorted, credential-like members dropped), or `""` when empty. */
export function providerOptions(options: Record<string, Record<string, unknown>>): string {
  let out = "";
  for (const provider of Object.keys(options).sort()) {
    const bag = options[provider];
    if (bag === undefined || bag === null || typeof bag !== "object") continue;
    let inner = "";
    for (const name of Object.keys(bag).sort()) {
      const value = bag[name];
      if (value === undefined || CREDENTIAL_MEMBER.test(name)) continue;
      inner += `${inner ? "," : ""}${JSON.stringify(name)}:${canonicalJson(value)}`;
    }
    if (inner) out += `${out ? "," : ""}${JSON.stringify(provider)}:{${inner}}`;
  }
  return out ? `,"providerOptions":{${out}}` : "";
}
