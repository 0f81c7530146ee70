// The README's "Your own @injectable classes" example: a user's class with explicit
// @inject tokens, bound through `configure`, built by the container with the same
// LLMClientFactory instance the container hands out.
import "reflect-metadata";
import { inject, injectable } from "inversify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createLLMContainer,
  type LLMClientFactory,
  type LLMContainer,
  TOKENS,
} from "../src/index.js";
import { type Mocks, packageDir, sourceConditions, startMocks, tempDir } from "./helpers.js";

@injectable()
class Summarizer {
  constructor(@inject(TOKENS.LLMClientFactory) private readonly clients: LLMClientFactory) {}

  summarize(text: string) {
    return this.clients.get("summarizer").generate({ messages: [{ role: "user", content: text }] });
  }
}

let mocks: Mocks;
let llm: LLMContainer;
const tmp = tempDir();

beforeAll(async () => {
  mocks = await startMocks();
  const file = tmp.write(
    "llm.config.yaml",
    `clients:\n  summarizer:\n    provider: openai\n    model: gpt-4o-mini\n    apiKey: sk-test\n    baseURL: ${mocks.openai.baseURL}\n`,
  );
  llm = await createLLMContainer({
    config: { files: [file], env: {} },
    baseDir: packageDir,
    conditions: sourceConditions,
    configure: (container) => {
      container.bind(Summarizer).toSelf();
    },
  });
});
afterAll(async () => {
  await llm.dispose();
  await mocks.close();
  tmp.remove();
});

describe("a user's @injectable class", () => {
  it("gets the container's client factory through its explicit @inject token", async () => {
    const summarizer = llm.get(Summarizer);
    mocks.openai.enqueue({ text: "A short summary." });
    const answer = await summarizer.summarize("Summarise: a long text");
    expect(answer.text).toBe("A short summary.");
    expect(answer.provider).toBe("openai");
  });
});
