import { ParseError } from "../errors/errors.js";

/**
 * What a provider's response mapping threw, as the error family. The mapping
 * reads the fields the provider documents (`choices[0].delta`, `parts[]`…);
 * a body that breaks that shape — `null` where an object was promised, a
 * number where an array was — makes it throw a `TypeError` or `RangeError`,
 * which is the upstream's fault, not a crash: it becomes a `ParseError`
 * naming the provider and where. Anything else (errors of the family
 * included) is returned as it is.
 *
 * Used in a `catch` around the mapping, so the hot path pays nothing for it.
 */
export function wireShapeError(error: unknown, provider: string, where: string): unknown {
  if (!(error instanceof TypeError || error instanceof RangeError)) return error;
  return new ParseError(`${provider} sent a body of an unexpected shape`, {
    where,
    provider,
    cause: error,
  });
}
