import { afterAll, beforeAll, beforeEach } from "vitest";
import { createMockProvider } from "../mock-provider.js";
import type { MockProvider, MockProviderOptions } from "../types.js";

/**
 * The mock server a test file shares, with its lifecycle in one line: listening
 * before the file's first test, reset (replies, requests, faults) before each,
 * closed after the last. Read `baseURL` inside tests: it is "" until then.
 */
export function useMockProvider(options: MockProviderOptions): MockProvider {
  const mock = createMockProvider(options);
  beforeAll(() => mock.listen(options.host ?? "127.0.0.1", options.port ?? 0));
  beforeEach(() => mock.reset());
  afterAll(() => mock.close());
  return mock;
}
