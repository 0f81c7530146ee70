import { ConnectionPool } from "@llm/pool";
import { describeProvider } from "@llm/testkit/vitest";
import { createBedrock } from "./bedrock-provider.js";

// The conformance suite every provider passes: text, tools, JSON schema, usage, finish reasons,
// abort, timeouts, resets, error mapping with retry hints, response limits, the pool transport
// and the cache scope, over real sockets. The scaffold speaks the OpenAI-compatible format, so it
// runs against testkit's openai server; when Bedrock's own wire format differs, add it to
// @llm/testkit (packages/testkit/src/providers/) and change `wireFormat`.
describeProvider({
  provider: "bedrock",
  wireFormat: "openai",
  apiKey: "test-key-bedrock",
  createClient: (settings) => createBedrock({ model: "bedrock-small", ...settings }),
  createPool: () => new ConnectionPool(),
});
