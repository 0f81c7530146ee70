/** Part of an AI SDK call or answer that llm-kit's types cannot carry; `where` is its path. */
export class Unrepresentable extends Error {
  override readonly name = "Unrepresentable";
  constructor(
    readonly reason: string,
    readonly where: string,
  ) {
    super(`${where}: ${reason}`);
  }
}
