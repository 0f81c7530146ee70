import { type LLMClientFactory, TOKENS } from "@llm/di";
import { inject, injectable } from "inversify";
import { LLMNode, type LLMNodeOptions } from "./llm-node.js";

/** Bound in the app's container, so nodes get the client factory by injection, never by `new`. */
@injectable()
export class LLMNodeFactory {
  constructor(@inject(TOKENS.LLMClientFactory) private readonly clients: LLMClientFactory) {}

  create<State>(options: LLMNodeOptions<State>): LLMNode<State> {
    return new LLMNode(this.clients, options);
  }
}

export const LLM_NODE_FACTORY = Symbol.for("workflow-demo:LLMNodeFactory");
