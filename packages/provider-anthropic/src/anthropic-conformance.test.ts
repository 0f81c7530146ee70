import { ConnectionPool } from "@llm/pool";
import { describeProvider } from "@llm/testkit/vitest";
import { createAnthropic } from "./index.js";

describeProvider({
  provider: "anthropic",
  wireFormat: "anthropic",
  apiKey: "sk-ant-conformance-key",
  createClient: (settings) => createAnthropic({ model: "claude-sonnet-4-5", ...settings }),
  createPool: () => new ConnectionPool(),
});
