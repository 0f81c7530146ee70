import { type ChatRequest, type ChatResponse, collectStream } from "@llm/core";
import type { LLMClientFactory } from "@llm/di";
import type { NodeContext, WorkflowNode } from "../engine/types.js";

export interface LLMNodeOptions<State> {
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
    private readonly options: LLMNodeOptions<State>,
  ) {
    this.name = options.name;
  }

  async run(state: Readonly<State>, context: NodeContext): Promise<Partial<State>> {
    const { llmClient, stream = false } = this.options;
    const client = this.clients.get(llmClient);
    const request = this.options.prompt(state);
    const started = performance.now();
    try {
      const response = stream
        ? await collectStream(client.stream(request, { signal: context.signal }))
        : await client.generate(request, { signal: context.signal });
      context.record({
        node: this.name,
        client: llmClient,
        model: response.model,
        latencyMs: performance.now() - started,
        origin: response.origin.type === "cache" ? `cache:${response.origin.level}` : "upstream",
        inputTokens: response.usage.inputTokens,
        outputTokens: response.usage.outputTokens,
        streamed: stream,
      });
      return this.options.parse(response, state);
    } catch (error) {
      context.record({
        node: this.name,
        client: llmClient,
        model: "",
        latencyMs: performance.now() - started,
        origin: "upstream",
        inputTokens: 0,
        outputTokens: 0,
        streamed: stream,
        error: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
  }
}
