export { answeringTransport } from "./answering-transport.js";
export { CliUsageError, parseServeArgs, type ServeCommand } from "./cli-args.js";
export { collectEvents } from "./collect-events.js";
export { seededVector } from "./embeddings/seeded-vector.js";
export { type Fixture, fixturesDir, listFixtures, readFixture } from "./fixtures.js";
export { startMockProvider } from "./mock-provider.js";
export { azureContentFilterReply } from "./providers/azure-openai.js";
export type {
  FaultKind,
  FaultOptions,
  LatencyOptions,
  MockCompletionReply,
  MockErrorReply,
  MockFaultName,
  MockFaultReply,
  MockFixtureReply,
  MockProvider,
  MockProviderOptions,
  MockProviderStats,
  MockReply,
  MockToolCall,
  MockUsage,
  MsRange,
  ProviderName,
  RecordedRequest,
  Responder,
  WhenOptions,
} from "./types.js";
export { PROVIDER_NAMES } from "./types.js";
