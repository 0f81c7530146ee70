import { ConfigError, type LLMClient } from "@llm/core";

/**
 * What `createLLMContainer` returns, as far as this package needs it: named
 * clients. Structural, so this package does not depend on `@llm/di`.
 */
export interface LLMClientSource {
  readonly clients: { get(name: string): LLMClient };
}

export interface ClientChoice {
  /** An llm-kit client: a provider client, or one composed with cache / retry middleware. */
  client?: LLMClient;
  /** A `createLLMContainer` result to take the client named `clientName` from. */
  container?: LLMClientSource;
  clientName?: string;
}

/**
 * The client a chat model wraps: `client`, or `container.clients.get(clientName)`
 * (a live handle that follows config reloads). Resolved once, at construction,
 * so a wrong name fails there with the container's `ConfigError`.
 */
export function resolveClient(choice: ClientChoice): LLMClient {
  if (choice.client !== undefined) {
    if (choice.container !== undefined || choice.clientName !== undefined)
      throw new ConfigError(
        "LLMKitChatModel takes either a client or a container and a clientName, not both",
        {
          issues: [{ path: "client", message: "given together with container/clientName" }],
        },
      );
    if (typeof choice.client?.generate !== "function" || typeof choice.client.stream !== "function")
      throw new ConfigError("LLMKitChatModel: client is not an LLMClient", {
        issues: [{ path: "client", message: "expected an object with generate() and stream()" }],
      });
    return choice.client;
  }
  if (
    choice.container === undefined ||
    typeof choice.clientName !== "string" ||
    choice.clientName === ""
  )
    throw new ConfigError("LLMKitChatModel needs a client, or a container and a clientName", {
      issues: [
        choice.container === undefined
          ? { path: "client", message: "missing (or pass container and clientName)" }
          : { path: "clientName", message: "expected the name of a configured client" },
      ],
    });
  return choice.container.clients.get(choice.clientName);
}
