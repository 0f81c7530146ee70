import { createLLMKitProvider } from "@llm/ai-sdk";
import { createLLMContainer } from "@llm/di";
import { provider as openai } from "@llm/provider-openai";
import { startMockProvider } from "@llm/testkit";
import { generateText, Output, stepCountIs, streamText, tool } from "ai";
import { z } from "zod";

const server = await startMockProvider({ provider: "openai" });

// The clients of an llm-kit container (usually from llm.config.yaml), with their cache and pool.
const llm = await createLLMContainer({
  providers: [openai],
  config: {
    env: {},
    overrides: {
      clients: {
        assistant: {
          provider: "openai",
          model: "gpt-4o-mini",
          apiKey: "sk-test",
          baseURL: server.baseURL,
        },
      },
      cache: { enabled: true, l2: { type: "none" } },
    },
  },
});
const llmKit = createLLMKitProvider({ clients: llm.clients });

const { text, usage } = await generateText({ model: llmKit("assistant"), prompt: "Say hello" });
console.log(text.length > 0, usage.totalTokens); // true, a number

const stream = streamText({ model: llmKit("assistant"), prompt: "Count to three" });
for await (const delta of stream.textStream) process.stdout.write(delta);
process.stdout.write("\n");

// Tools: the AI SDK runs the loop, the llm-kit client makes each call.
const withTools = await generateText({
  model: llmKit("assistant"),
  tools: {
    weather: tool({
      description: "Current weather in a city",
      inputSchema: z.object({ city: z.string() }),
      execute: async ({ city }) => ({ city, celsius: 21 }),
    }),
  },
  stopWhen: stepCountIs(3),
  prompt: "Use weather for Paris",
});
console.log(withTools.steps[0]?.toolCalls[0]?.toolName); // "weather"

// Structured output: a JSON-schema response format, validated by the AI SDK.
const { output } = await generateText({
  model: llmKit("assistant"),
  output: Output.object({ schema: z.object({ name: z.string(), age: z.number() }) }),
  prompt: "Invent a person",
});
console.log(typeof output.name, typeof output.age); // string number

await llm.dispose();
await server.close();
