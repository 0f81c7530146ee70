import { ShapeChecker, type ShapeLimits } from "./shape-checker.js";

export { describeValue, kindOf } from "./describe-value.js";
export { ShapeChecker, type ShapeLimits, type ShapeProblem } from "./shape-checker.js";

/**
 * Why `value` is not a valid `ChatResponse`, or `undefined` when it is: the
 * first bad path and the kind found there (`usage.inputTokens: expected a
 * non-negative integer, got string`), never the value itself.
 */
export function chatResponseProblem(value: unknown, limits?: ShapeLimits): string | undefined {
  return new ShapeChecker(limits).response(value, "response");
}

/** Why `value` is not a valid `StreamEvent` on its own (order in a stream aside), or `undefined`. */
export function streamEventProblem(value: unknown, limits?: ShapeLimits): string | undefined {
  return new ShapeChecker(limits).event(value, "event");
}

/** Why `value` is not a valid `EmbeddingResponse`, or `undefined` when it is. */
export function embeddingResponseProblem(value: unknown): string | undefined {
  return new ShapeChecker().embedding(value, "embedding");
}
