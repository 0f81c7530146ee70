import type { ChatResponse, LLMClient } from "@llm/core";
import type { LLMClientFactory } from "@llm/di";
import type { NodeContext, WorkflowNode } from "../engine/types.js";

/** One answer of a node: the response (for the statistics) and the part of the state it sets. */
export interface NodeAnswer<State> {
  response: ChatResponse;
  update: Partial<State>;
}

/** What an `LLMNode` runs; `LLMNodeFactory` builds it for text and for typed-object nodes. */
export interface LLMNodeSpec<State> {
  name: string;
  /** The client to use, by the name it has in `llm.config.yaml`. */
  llmClient: string;
  /** Whether the answer is streamed (reported in the statistics). */
  streamed: boolean;
  ask(client: LLMClient, state: Readonly<State>, signal: AbortSignal): Promise<NodeAnswer<State>>;
}

/**
 * The refactored LLM node. It used to construct its own SDK client; now it
 * only *names* the client it wants, and resolves it through the container's
 * `LLMClientFactory` on every run — so caching, pooling, retries, fallbacks
 * and hot-reloaded models reach it without a line changing here.
 */
export class LLMNode<State> implements WorkflowNode<State> {
  readonly name: string;

  constructor(
    private readonly clients: LLMClientFactory,
    private readonly spec: LLMNodeSpec<State>,
  ) {
    this.name = spec.name;
  }

  async run(state: Readonly<State>, context: NodeContext): Promise<Partial<State>> {
    const { llmClient, streamed } = this.spec;
    const client = this.clients.get(llmClient);
    const started = performance.now();
    try {
      const { response, update } = await this.spec.ask(client, state, context.signal);
      context.record({
        node: this.name,
        client: llmClient,
        model: response.model,
        latencyMs: performance.now() - started,
        origin: response.origin.type === "cache" ? `cache:${response.origin.level}` : "upstream",
        inputTokens: response.usage.inputTokens,
        outputTokens: response.usage.outputTokens,
        streamed,
      });
      return update;
    } catch (error) {
      context.record({
        node: this.name,
        client: llmClient,
        model: "",
        latencyMs: performance.now() - started,
        origin: "upstream",
        inputTokens: 0,
        outputTokens: 0,
        streamed,
        error: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
  }
}
