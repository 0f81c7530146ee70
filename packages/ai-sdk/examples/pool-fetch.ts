import { createOpenAI } from "@ai-sdk/openai";
import { ConnectionPool } from "@llm/pool";
import { startMockProvider } from "@llm/testkit";
import { generateText } from "ai";

const server = await startMockProvider({ provider: "openai" });
const pool = new ConnectionPool({ connections: 16, maxQueue: 200 });

// Any AI SDK provider takes a fetch: give it the pool's, for keep-alive sockets,
// a bounded queue and per-origin statistics shared with llm-kit clients.
const openai = createOpenAI({ apiKey: "sk-test", baseURL: server.baseURL, fetch: pool.fetch });
for (let i = 0; i < 3; i++) {
  await generateText({ model: openai.chat("gpt-4o-mini"), prompt: `Question ${i}` });
}
console.log(pool.stats(server.origin)?.requestsServed); // 3

await pool.close();
await server.close();
