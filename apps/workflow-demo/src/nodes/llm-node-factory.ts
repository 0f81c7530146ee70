import {
  type ChatRequest,
  type ChatResponse,
  collectStream,
  generateObject,
  type ObjectRequest,
  type StandardSchemaV1,
} from "@llm/core";
import { type LLMClientFactory, TOKENS } from "@llm/di";
import { inject, injectable } from "inversify";
import { LLMNode } from "./llm-node.js";

/** A node whose answer is text. */
export interface TextNodeOptions<State> {
  name: string;
  /** The client to use, by the name it has in `llm.config.yaml`. */
  llmClient: string;
  /** Builds the request from the state. */
  prompt(state: Readonly<State>): ChatRequest;
  /** Turns the answer into the part of the state this node owns. */
  parse(response: ChatResponse, state: Readonly<State>): Partial<State>;
  /** Stream the answer (and collect it) instead of waiting for it whole. */
  stream?: boolean;
}

/** A node whose answer is one object of type `T`, validated by `schema`. */
export interface ObjectNodeOptions<State, T> {
  name: string;
  llmClient: string;
  /** Builds the request from the state; the response format comes from `schema`. */
  prompt(state: Readonly<State>): Omit<ChatRequest, "responseFormat">;
  schema: StandardSchemaV1<unknown, T>;
  /** Name of the schema on the wire. */
  schemaName: string;
  /** Times a refused answer is sent back to be corrected (see `generateObject`). Default 1. */
  maxRepairs?: number;
  /** Turns the typed answer into the part of the state this node owns. */
  toState(object: T, state: Readonly<State>): Partial<State>;
}

/** Bound in the app's container, so nodes get the client factory by injection, never by `new`. */
@injectable()
export class LLMNodeFactory {
  constructor(@inject(TOKENS.LLMClientFactory) private readonly clients: LLMClientFactory) {}

  /** A node that asks for text (streamed or not). */
  create<State>(options: TextNodeOptions<State>): LLMNode<State> {
    const stream = options.stream ?? false;
    return new LLMNode(this.clients, {
      name: options.name,
      llmClient: options.llmClient,
      streamed: stream,
      async ask(client, state, signal) {
        const request = options.prompt(state);
        const response = stream
          ? await collectStream(client.stream(request, { signal }))
          : await client.generate(request, { signal });
        return { response, update: options.parse(response, state) };
      },
    });
  }

  /** A node that asks for a typed object: the provider's native JSON mode, validated by the schema. */
  createObject<State, T>(options: ObjectNodeOptions<State, T>): LLMNode<State> {
    return new LLMNode(this.clients, {
      name: options.name,
      llmClient: options.llmClient,
      streamed: false,
      async ask(client, state, signal) {
        const request: ObjectRequest<T> = {
          ...options.prompt(state),
          schema: options.schema,
          schemaName: options.schemaName,
        };
        const result = await generateObject(client, request, {
          signal,
          maxRepairs: options.maxRepairs ?? 1,
        });
        return { response: result.response, update: options.toState(result.object, state) };
      },
    });
  }
}

export const LLM_NODE_FACTORY = Symbol.for("workflow-demo:LLMNodeFactory");
