/** An error body's fields in the Chat Completions family (OpenAI, Mistral). */
export interface ChatCompletionsErrorShape {
  message: string;
  type: string;
  code: string | null;
}

/**
 * The API's error for `status` from its table, else a generic one typed the
 * API's way: `serverErrorType` for 5xx, `invalid_request_error` otherwise.
 */
export function errorShapeOf(
  table: Readonly<Record<number, ChatCompletionsErrorShape>>,
  status: number,
  serverErrorType: string,
): ChatCompletionsErrorShape {
  return (
    table[status] ?? {
      message: `HTTP ${status}`,
      type: status >= 500 ? serverErrorType : "invalid_request_error",
      code: null,
    }
  );
}
