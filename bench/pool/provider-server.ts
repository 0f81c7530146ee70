/**
 * @llm/testkit mocks for several providers in ONE child process, so the servers' CPU is
 * never counted as the client's: `fork("pool/provider-server.ts", ["openai,anthropic"])`.
 * Prints `{ "<provider>": "<baseURL>", … }` as one JSON line on stdout, serves with no
 * latency and records nothing, and exits when the parent disconnects.
 */
import { type ProviderName, startMockProvider } from "@llm/testkit";

const providers = (process.argv[2] ?? "").split(",").filter(Boolean) as ProviderName[];
const mocks = await Promise.all(
  providers.map((provider) => startMockProvider({ provider, seed: 7, maxRecorded: 0 })),
);
process.stdout.write(
  `${JSON.stringify(Object.fromEntries(mocks.map((m) => [m.provider, m.baseURL])))}\n`,
);
process.on("disconnect", () => {
  void Promise.all(mocks.map((m) => m.close())).then(() => process.exit(0));
});
