import {
  type ChatResponse,
  emptyUsage,
  generateObject,
  type LLMClient,
  ObjectValidationError,
  streamObject,
} from "@llm/core";
import { z } from "zod";

// A stand-in provider that answers JSON (streamed in two pieces). A real app
// passes createOpenAI(...), createAnthropic(...), createGemini(...) or
// createOllama(...): each turns the schema into its native JSON mode.
const json = '{"city":"Paris","days":[{"day":"Mon","tempC":21},{"day":"Tue","tempC":19}]}';
const client: LLMClient = {
  provider: "stand-in",
  async generate(): Promise<ChatResponse> {
    return {
      id: "r1",
      model: "m",
      provider: "stand-in",
      text: json,
      content: [{ type: "text", text: json }],
      toolCalls: [],
      finishReason: "stop",
      usage: emptyUsage(),
      origin: { type: "upstream" },
    };
  },
  async *stream() {
    yield {
      type: "start",
      id: "r1",
      model: "m",
      provider: "stand-in",
      origin: { type: "upstream" },
    };
    yield { type: "text-delta", delta: json.slice(0, 45) };
    yield { type: "text-delta", delta: json.slice(45) };
    yield { type: "finish", finishReason: "stop", usage: emptyUsage() };
  },
};

const Forecast = z.object({
  city: z.string(),
  days: z.array(z.object({ day: z.string(), tempC: z.number() })),
});
const messages = [{ role: "user" as const, content: "Two-day forecast for Paris, as JSON" }];

// One typed object: forecast is { city: string; days: { day: string; tempC: number }[] }.
const { object: forecast } = await generateObject(
  client,
  { messages, schema: Forecast, temperature: 0 },
  { maxRepairs: 1 }, // a refused answer is sent back once with its issues
);
console.log(forecast.days[0]?.tempC); // 21

// Streamed: partial objects while the JSON arrives, then the validated object.
for await (const event of streamObject(client, { messages, schema: Forecast })) {
  if (event.type === "partial") console.log("days so far:", event.partial.days?.length ?? 0);
  else console.log("done:", event.object.city);
}

// An answer the schema refuses: ObjectValidationError with the raw text and the issues.
try {
  await generateObject(client, { messages, schema: Forecast.extend({ country: z.string() }) });
} catch (error) {
  if (error instanceof ObjectValidationError) console.log(error.issues[0]?.path); // "country"
}
