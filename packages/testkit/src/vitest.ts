/**
 * `@llm/testkit/vitest`: `describeProvider()`, the conformance suite every
 * provider package runs against its testkit server. Imports vitest, so it is
 * a separate entry point from the runtime package (vitest is an optional peer).
 */
export type {
  ClosableTransport,
  ConformanceClientSettings,
  ProviderCapabilities,
  ProviderConformanceAdapter,
} from "./conformance/adapter.js";
export { describeProvider } from "./conformance/describe-provider.js";
export { useMockProvider } from "./conformance/use-mock-provider.js";
