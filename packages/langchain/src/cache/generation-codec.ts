import { AIMessage, type BaseMessage, type MessageContent } from "@langchain/core/messages";
import type { ChatGeneration, Generation } from "@langchain/core/outputs";
import type { JsonObject, JsonValue } from "@llm/core";
import {
  copyJson,
  STORED_GENERATIONS_VERSION,
  type StoredAIMessage,
  type StoredGeneration,
  type StoredGenerations,
  type StoredToolCall,
} from "./stored-generations.js";

/** Why a generation cannot be stored (it is then simply not cached). */
export class UnstorableGenerationError extends Error {}

/**
 * LangChain generations → the compact stored form. Throws
 * `UnstorableGenerationError` for what this cache does not keep: a message
 * that is not an AI message, or values that are not plain JSON.
 */
export function encodeGenerations(generations: readonly Generation[]): StoredGenerations {
  return { v: STORED_GENERATIONS_VERSION, g: generations.map(encodeGeneration) };
}

function encodeGeneration(generation: Generation, index: number): StoredGeneration {
  const message = (generation as Partial<ChatGeneration>).message;
  const out: StoredGeneration = {};
  if (message !== undefined) {
    if (!AIMessage.isInstance(message))
      throw new UnstorableGenerationError(
        `generations[${index}].message: only AI messages are cached, got "${message.type}"`,
      );
    out.m = encodeMessage(message, index);
    if (generation.text !== message.text) out.t = generation.text;
  } else {
    out.t = generation.text;
  }
  const info = nonEmpty(generation.generationInfo, `generations[${index}].generationInfo`);
  if (info !== undefined) out.i = info;
  return out;
}

function encodeMessage(message: AIMessage, index: number): StoredAIMessage {
  const where = `generations[${index}].message`;
  const out: StoredAIMessage = {
    c:
      typeof message.content === "string"
        ? message.content
        : (plainJson(message.content, `${where}.content`) as JsonObject[]),
  };
  if (message.id !== undefined) out.id = message.id;
  if (message.name !== undefined) out.n = message.name;
  if (message.tool_calls !== undefined && message.tool_calls.length > 0) {
    out.tc = message.tool_calls.map((call, i): StoredToolCall => {
      const stored: StoredToolCall = {
        n: call.name,
        a: plainJson(call.args, `${where}.tool_calls[${i}].args`) as JsonObject,
      };
      if (call.id !== undefined) stored.id = call.id;
      return stored;
    });
  }
  if (message.invalid_tool_calls !== undefined && message.invalid_tool_calls.length > 0)
    out.itc = plainJson(message.invalid_tool_calls, `${where}.invalid_tool_calls`) as JsonObject[];
  const metadata = nonEmpty(message.response_metadata, `${where}.response_metadata`);
  if (metadata !== undefined) out.r = metadata;
  const kwargs = nonEmpty(message.additional_kwargs, `${where}.additional_kwargs`);
  if (kwargs !== undefined) out.k = kwargs;
  return out;
}

/** Stored form → fresh LangChain generations (LangChain mutates what a cache returns). */
export function decodeGenerations(stored: StoredGenerations): Generation[] {
  return stored.g.map((generation): Generation => {
    const info = generation.i === undefined ? undefined : copyJson(generation.i);
    if (generation.m === undefined) {
      const plain: Generation = { text: generation.t ?? "" };
      if (info !== undefined) plain.generationInfo = info;
      return plain;
    }
    const message = decodeMessage(generation.m);
    const chat: ChatGeneration = { text: generation.t ?? message.text, message };
    if (info !== undefined) chat.generationInfo = info;
    return chat;
  });
}

function decodeMessage(m: StoredAIMessage): BaseMessage {
  return new AIMessage({
    // Checked by storedGenerationsProblem: a string or a list of JSON objects (content blocks).
    content: typeof m.c === "string" ? m.c : (copyJson(m.c) as MessageContent),
    ...(m.id === undefined ? {} : { id: m.id }),
    ...(m.n === undefined ? {} : { name: m.n }),
    tool_calls: (m.tc ?? []).map((call) => ({
      ...(call.id === undefined ? {} : { id: call.id }),
      name: call.n,
      args: copyJson(call.a),
      type: "tool_call" as const,
    })),
    invalid_tool_calls: m.itc === undefined ? [] : copyJson(m.itc),
    response_metadata: m.r === undefined ? {} : copyJson(m.r),
    additional_kwargs: m.k === undefined ? {} : copyJson(m.k),
  });
}

/** `value` as plain JSON (what `JSON.stringify` keeps), or an `UnstorableGenerationError` naming where it is not. */
function plainJson(value: unknown, where: string): JsonValue {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new UnstorableGenerationError(`${where}: not JSON (${(error as Error).name})`);
  }
  if (text === undefined) throw new UnstorableGenerationError(`${where}: not JSON`);
  return JSON.parse(text) as JsonValue;
}

function nonEmpty(
  value: Record<string, unknown> | undefined,
  where: string,
): JsonObject | undefined {
  if (value === undefined) return undefined;
  const json = plainJson(value, where) as JsonObject;
  return Object.keys(json).length === 0 ? undefined : json;
}
