import { ConnectionPool } from "@llm/pool";
import { describeProvider } from "@llm/testkit/vitest";
import { createBedrock } from "./bedrock-provider.js";

// The suite's key is the secret access key: every call is SigV4-signed with it (testkit checks the
// authorization header), and it must never reach an error or the cache scope.
describeProvider({
  provider: "bedrock",
  wireFormat: "bedrock",
  apiKey: "test-secret-bedrock",
  createClient: ({ apiKey, ...settings }) =>
    createBedrock({
      model: "anthropic.claude-3-5-haiku-20241022-v1:0",
      region: "us-east-1",
      accessKeyId: "AKIDTESTBEDROCK",
      secretAccessKey: apiKey ?? "test-secret-bedrock",
      env: {},
      ...settings,
    }),
  createPool: () => new ConnectionPool(),
});
