import { ConnectionPool } from "@llm/pool";
import { describeProvider } from "@llm/testkit/vitest";
import { createOpenAI } from "./index.js";

describeProvider({
  provider: "openai",
  wireFormat: "openai",
  apiKey: "sk-conformance-key",
  createClient: (settings) => createOpenAI({ model: "gpt-4o-mini", ...settings }),
  createPool: () => new ConnectionPool(),
});
