import { ConnectionPool } from "@llm/pool";
import { describeProvider } from "@llm/testkit/vitest";
import { create__Name__ } from "./__name__-provider.js";

// The conformance suite every provider passes: text, tools, JSON schema, usage, finish reasons,
// abort, timeouts, resets, error mapping with retry hints, response limits, the pool transport
// and the cache scope, over real sockets. The scaffold speaks the OpenAI-compatible format, so it
// runs against testkit's openai server; when __Name__'s own wire format differs, add it to
// @llm/testkit (packages/testkit/src/providers/) and change `wireFormat`.
describeProvider({
  provider: "__name__",
  wireFormat: "openai",
  apiKey: "test-key-__name__",
  createClient: (settings) => create__Name__({ model: "__name__-small", ...settings }),
  createPool: () => new ConnectionPool(),
});
