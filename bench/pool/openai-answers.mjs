// The bytes bench/pool's server sends, in the OpenAI wire format, in one place: server.mjs
// serves them, and the profiling aids replay them without a socket, so every figure
// they give is about the same answer.

const MODEL = "gpt-4o-mini";

/** The non-streamed answer: one chat completion of about 200 characters of text. */
export const completion = Buffer.from(
  JSON.stringify({
    id: "chatcmpl-bench",
    object: "chat.completion",
    created: 1_700_000_000,
    model: MODEL,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: "The quick brown fox jumps over the lazy dog. ".repeat(4).trim(),
          refusal: null,
        },
        logprobs: null,
        finish_reason: "stop",
      },
    ],
    usage: {
      prompt_tokens: 12,
      completion_tokens: 40,
      total_tokens: 52,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    },
    system_fingerprint: "fp_bench",
  }),
);

const CHUNKS = 50;
const words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do".split(" ");
const frame = (delta, finish, usage) =>
  `data: ${JSON.stringify({
    id: "chatcmpl-bench",
    object: "chat.completion.chunk",
    created: 1_700_000_000,
    model: MODEL,
    system_fingerprint: "fp_bench",
    choices: usage ? [] : [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(usage ? { usage } : {}),
  })}\n\n`;

/** The streamed answer, a Buffer per SSE frame: role, 47 text deltas, finish, usage (with [DONE]). */
export const streamFrames = (() => {
  const frames = [frame({ role: "assistant", content: "" }, null)];
  for (let i = 0; i < CHUNKS - 3; i++)
    frames.push(frame({ content: `${words[i % words.length]} ` }, null));
  frames.push(frame({}, "stop"));
  frames.push(
    frame(null, null, { prompt_tokens: 12, completion_tokens: 47, total_tokens: 59 }) +
      "data: [DONE]\n\n",
  );
  return frames.map((f) => Buffer.from(f));
})();
