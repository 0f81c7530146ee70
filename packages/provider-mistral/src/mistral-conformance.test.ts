import { ConnectionPool } from "@llm/pool";
import { describeProvider } from "@llm/testkit/vitest";
import { createMistral } from "./mistral-provider.js";

describeProvider({
  provider: "mistral",
  wireFormat: "mistral",
  apiKey: "test-key-mistral",
  createClient: (settings) => createMistral({ model: "mistral-small-latest", ...settings }),
  createPool: () => new ConnectionPool(),
});
