/**
 * Wire JSON read loosely: tests probe arbitrary response shapes and assert on the values,
 * so the body is typed as `any` here, in one place, rather than cast at every use.
 */
// biome-ignore lint/suspicious/noExplicitAny: see above — test-only reader of untyped wire JSON
export type WireJSON = any;

export function json(response: Response): Promise<WireJSON> {
  return response.json() as Promise<WireJSON>;
}
