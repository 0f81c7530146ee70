import { ConnectionPool } from "@llm/pool";
import { describeProvider } from "@llm/testkit/vitest";
import { createOllama } from "./index.js";

describeProvider({
  provider: "ollama",
  wireFormat: "ollama",
  apiKey: "ollama-conformance-key",
  createClient: (settings) => createOllama({ model: "llama3.2", ...settings }),
  createPool: () => new ConnectionPool(),
});
