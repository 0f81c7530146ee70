/** What every node gets besides the state: a way to resolve services, and the run's signal. */
export interface NodeContext {
  readonly signal: AbortSignal;
  /** Reports a finished LLM call for the run's statistics. */
  record(event: CallRecord): void;
}

export interface CallRecord {
  node: string;
  client: string;
  /** The model that answered (empty when the call failed). */
  model: string;
  latencyMs: number;
  origin: "upstream" | `cache:${string}`;
  inputTokens: number;
  outputTokens: number;
  streamed: boolean;
  error?: string;
}

/**
 * A step of a workflow: reads the state, returns the part of it that it
 * changes. Nodes never mutate the state they are given, so parallel
 * branches cannot race.
 */
export interface WorkflowNode<State> {
  readonly name: string;
  run(state: Readonly<State>, context: NodeContext): Promise<Partial<State>>;
}

/** A sequential step (one node) or a parallel step (several nodes, their patches merged). */
export type Step<State> =
  | { kind: "node"; node: WorkflowNode<State> }
  | { kind: "parallel"; nodes: WorkflowNode<State>[] };
