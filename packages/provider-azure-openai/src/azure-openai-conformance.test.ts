import { ConnectionPool } from "@llm/pool";
import { describeProvider } from "@llm/testkit/vitest";
import { createAzureOpenAI } from "./index.js";

describeProvider({
  provider: "azure-openai",
  wireFormat: "azure-openai",
  apiKey: "azure-conformance-key-0123456789",
  createClient: (settings) => createAzureOpenAI({ deployment: "gpt-4o-mini", ...settings }),
  createPool: () => new ConnectionPool(),
});
