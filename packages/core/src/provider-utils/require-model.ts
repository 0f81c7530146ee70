import { ConfigError } from "../errors/errors.js";

/**
 * The model a request runs on: the request's, else the client's default.
 * Neither is a `ConfigError` at path `model`, thrown before anything is sent,
 * so every provider fails the same way for the same mistake.
 */
export function requireModel(
  provider: string,
  requested: string | undefined,
  fallback: string | undefined,
): string {
  const model = requested ?? fallback;
  if (!model) {
    throw new ConfigError(`No model for ${provider}: set request.model or settings.model`, {
      provider,
      issues: [{ path: "model", message: "required" }],
    });
  }
  return model;
}
