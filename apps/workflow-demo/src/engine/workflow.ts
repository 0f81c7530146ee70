import type { NodeContext, Step, WorkflowNode } from "./types.js";

/**
 * A small workflow engine: a typed state flows through steps in order; a
 * parallel step runs its nodes at once on the same input and merges their
 * patches (a key written by two branches is a bug, reported as an error).
 */
export class Workflow<State extends object> {
  readonly #steps: Step<State>[] = [];

  constructor(readonly name: string) {}

  step(node: WorkflowNode<State>): this {
    this.#steps.push({ kind: "node", node });
    return this;
  }

  parallel(...nodes: WorkflowNode<State>[]): this {
    this.#steps.push({ kind: "parallel", nodes });
    return this;
  }

  get steps(): readonly Step<State>[] {
    return this.#steps;
  }

  async run(initial: State, context: NodeContext): Promise<State> {
    let state = initial;
    for (const step of this.#steps) {
      context.signal.throwIfAborted();
      if (step.kind === "node") {
        state = { ...state, ...(await step.node.run(state, context)) };
        continue;
      }
      const input = state;
      const patches = await Promise.all(step.nodes.map((node) => node.run(input, context)));
      const written = new Map<string, string>();
      patches.forEach((patch, i) => {
        for (const key of Object.keys(patch)) {
          const other = written.get(key);
          if (other) {
            throw new Error(
              `Parallel nodes "${other}" and "${step.nodes[i]!.name}" both write "${key}"`,
            );
          }
          written.set(key, step.nodes[i]!.name);
        }
      });
      state = Object.assign({}, state, ...patches) as State;
    }
    return state;
  }
}
