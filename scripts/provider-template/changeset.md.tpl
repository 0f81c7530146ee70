---
"@llm/provider-__name__": minor
---

First release of `@llm/provider-__name__`: `create__Name__(settings)` returns an `LLMClient` for the __Name__ API (key from `__NAME___API_KEY`), and `provider` registers it with a `ProviderRegistry`; it generates and streams text and tool calls, reports finish reasons and usage, and maps errors to the `@llm/core` error family.
