import { type ChatRequest, collectStream, type StreamEvent } from "@llm/core";
import { answeringTransport, collectEvents } from "@llm/testkit";
import { useMockProvider } from "@llm/testkit/vitest";
import { describe, expect, it } from "vitest";
import { createAzureOpenAI } from "./index.js";

/**
 * Stream ↔ generate parity of Azure's content-filter verdicts: the same
 * answer, sent whole and streamed, reaches the caller with the same
 * `providerMetadata`.
 */
const KEY = "azure-parity-key-0123456789";
const mock = useMockProvider({ provider: "azure-openai", apiKey: KEY });
const hi: ChatRequest = { messages: [{ role: "user", content: "Hi" }] };
const client = () => createAzureOpenAI({ baseURL: mock.baseURL, apiKey: KEY, model: "gpt-4o" });

function clientAnswering(body: string) {
  return createAzureOpenAI({
    baseURL: "https://parity.openai.azure.com/openai",
    apiKey: KEY,
    model: "gpt-4o",
    transport: answeringTransport(body, "text/event-stream"),
  });
}

const sse = (chunks: unknown[]) =>
  `${chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join("")}data: [DONE]\n\n`;

const safe = { filtered: false, severity: "safe" };

describe("azure-openai content-filter metadata, streamed and not", () => {
  it.each([
    ["an answer the filter cut", "content_filter"],
    ["an answer the filter passed", "stop"],
  ])("gives %s the same providerMetadata streamed as generated", async (_, finishReason) => {
    mock.enqueue({ text: "I cannot go on", finishReason });
    const generated = await client().generate(hi);
    mock.enqueue({ text: "I cannot go on", finishReason });
    const events = await collectEvents(client().stream(hi));
    const finish = events.at(-1) as Extract<StreamEvent, { type: "finish" }>;
    expect(generated.providerMetadata).toMatchObject({
      promptFilterResults: { hate: safe, jailbreak: { filtered: false, detected: false } },
      contentFilterResults: { hate: safe },
    });
    expect(finish.providerMetadata).toEqual(generated.providerMetadata);
    expect(finish.finishReason).toBe(generated.finishReason);
  });

  it("folds the verdicts of every streamed segment into one set per category", async () => {
    const body = sse([
      {
        id: "",
        model: "",
        choices: [],
        prompt_filter_results: [{ prompt_index: 0, content_filter_results: { hate: safe } }],
      },
      {
        id: "c",
        model: "gpt-4o",
        choices: [
          {
            index: 0,
            delta: { content: "First part. " },
            content_filter_results: { violence: { filtered: false, severity: "low" } },
          },
        ],
      },
      {
        id: "c",
        choices: [
          {
            index: 0,
            delta: { content: "Second part." },
            content_filter_results: { violence: { filtered: true, severity: "medium" } },
          },
        ],
      },
      { id: "c", choices: [{ index: 0, delta: {}, finish_reason: "content_filter" }] },
      // Asynchronous filtering: verdicts of the last segment after the finishing chunk.
      {
        id: "c",
        choices: [
          { index: 0, content_filter_results: { violence: { filtered: false, severity: "safe" } } },
        ],
      },
    ]);
    const response = await collectStream(clientAnswering(body).stream(hi));
    expect(response.text).toBe("First part. Second part.");
    expect(response.finishReason).toBe("content-filter");
    expect(response.providerMetadata).toEqual({
      promptFilterResults: { hate: safe },
      contentFilterResults: { violence: { filtered: true, severity: "medium" } },
    });
  });

  it("drops verdicts of the wrong type without failing the stream", async () => {
    const body = sse([
      { id: "", choices: [], prompt_filter_results: "blocked" },
      {
        id: "c",
        choices: [{ index: 0, delta: { content: "Hi" }, content_filter_results: ["hate"] }],
      },
      {
        id: "c",
        choices: [
          {
            index: 0,
            delta: {},
            finish_reason: "stop",
            content_filter_results: { hate: 7, sexual: { filtered: "no", severity: "safe" } },
          },
        ],
      },
    ]);
    const response = await collectStream(clientAnswering(body).stream(hi));
    expect(response.text).toBe("Hi");
    expect(response.providerMetadata).toEqual({
      contentFilterResults: { sexual: { severity: "safe" } },
    });
  });

  it("keeps a streamed refusal next to the filter verdicts, as generate does", async () => {
    const body = sse([
      { id: "c", choices: [{ index: 0, delta: { refusal: "I can't." } }] },
      {
        id: "c",
        choices: [{ index: 0, delta: {}, finish_reason: "stop", content_filter_results: {} }],
        prompt_filter_results: [{ content_filter_results: { hate: safe } }],
      },
    ]);
    const response = await collectStream(clientAnswering(body).stream(hi));
    expect(response.finishReason).toBe("content-filter");
    expect(response.providerMetadata).toEqual({
      refusal: "I can't.",
      promptFilterResults: { hate: safe },
    });
  });
});
