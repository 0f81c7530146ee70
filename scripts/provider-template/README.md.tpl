# @llm/provider-__name__

The __Name__ provider for llm-kit. It implements `LLMClient` (`generate`, `stream`) from
`@llm/core` on a `Transport` and registers itself with a `ProviderRegistry`. It depends on
`@llm/core` only.

> Scaffolded by `pnpm new:provider __name__` with an OpenAI-compatible wire format. See
> `docs/adding-a-provider.md` for what to change (wire types in `src/__name__-api.ts`, request
> mapping, errors, the testkit server) before the first release.

## Install

```sh
pnpm add @llm/core @llm/provider-__name__
```

## Example

```ts
import { create__Name__ } from "@llm/provider-__name__";

// Reads __NAME___API_KEY.
const client = create__Name__({ model: "__name__-small" });

const answer = await client.generate({ messages: [{ role: "user", content: "Why is the sky blue?" }] });
console.log(answer.text, answer.finishReason, answer.usage);

for await (const event of client.stream({ messages: [{ role: "user", content: "Count to 5" }] })) {
  if (event.type === "text-delta") process.stdout.write(event.delta);
}
```

Through a registry:

```ts
import { ProviderRegistry } from "@llm/core";
import { provider } from "@llm/provider-__name__";

const registry = new ProviderRegistry();
registry.register(provider);
const fromRegistry = registry.create("__name__", { model: "__name__-small" });
```

## Settings

| Setting | Default | Meaning |
|---|---|---|
| `apiKey` | `__NAME___API_KEY` | `string` or `Secret`, sent as `Authorization: Bearer …`. Missing → `AuthenticationError` at creation. |
| `baseURL` | `https://api.__name__.example/v1` | `/chat/completions` is appended. Invalid → `ConfigError`. |
| `model` | — | Default model; `request.model` wins. Neither → `ConfigError` at call time. |
| `headers` | — | Extra headers on every call. |
| `transport` | `defaultTransport()` | Any `Transport`, e.g. `new ConnectionPool()` from `@llm/pool`. |
| `limits` | `DEFAULT_RESPONSE_LIMITS` | Bounds on answers: body, line and event bytes, stream deadlines. Crossed → `LimitExceededError` / `TimeoutError`. |

## Failures

HTTP errors map through `@llm/core`'s `httpErrorFromResponse`: 401/403 →
`AuthenticationError`, 429 → `RateLimitError` (with `retry-after`), 400/404/422 →
`InvalidRequestError`, 5xx → retryable `ProviderError`; a connection failure is a
`NetworkError`, a malformed chunk a `ParseError`, an aborted call an `AbortError`.

## Tests

`src/__name__-conformance.test.ts` runs `describeProvider()` from `@llm/testkit/vitest`, the
suite every llm-kit provider passes (abort, timeouts, resets, error mapping, limits, the pool
transport, cache scope…); the other test files cover what is specific to the wire format.
