import { ConnectionPool } from "@llm/pool";
import { describeProvider } from "@llm/testkit/vitest";
import { createGemini } from "./index.js";

describeProvider({
  provider: "gemini",
  wireFormat: "gemini",
  apiKey: "AIza-conformance-key",
  createClient: (settings) => createGemini({ model: "gemini-2.5-flash", ...settings }),
  createPool: () => new ConnectionPool(),
});
