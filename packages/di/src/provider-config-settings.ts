import { type ClientConfig, type ConfigCheck, checkProviderSettings } from "@llm/config";
import {
  ConfigError,
  type ConfigIssue,
  isRecord,
  type JsonSchema,
  type ProviderSettings,
} from "@llm/core";

/**
 * What a provider package exports as `configSettings` so that a config file
 * can give its own settings (`clients.<name>.providerSettings`): Bedrock's
 * region and static credentials, Azure's api-version and deployment, …
 *
 * The schema is a JSON Schema (providers depend on `@llm/core` only); it is
 * checked by `@llm/config`'s `checkProviderSettings`, which wraps the
 * `writeOnly` strings (credentials) in `Secret`s. `toProviderSettings` maps
 * the checked values onto the provider's own settings object.
 */
export interface ProviderConfigSettings {
  /** The provider type these settings are for (`"bedrock"`). */
  readonly type: string;
  /** JSON Schema of `providerSettings`: an object whose unknown keys are errors. */
  readonly schema: JsonSchema;
  /** Checked values → settings for the provider's factory (method syntax: each provider narrows the input). */
  toProviderSettings(settings: never): Partial<ProviderSettings>;
}

/** Whether a module export has the `ProviderConfigSettings` shape. */
export function isProviderConfigSettings(value: unknown): value is ProviderConfigSettings {
  return (
    isRecord(value) &&
    typeof value.type === "string" &&
    isRecord(value.schema) &&
    typeof value.toProviderSettings === "function"
  );
}

/**
 * The `configSettings` of every provider type the container knows, by type:
 * filled when provider packages are imported (and from
 * `createLLMContainer({ providerConfigSettings })` for providers registered
 * in code), read when a client is built.
 */
export class ProviderConfigSettingsCatalog {
  readonly #byType = new Map<string, ProviderConfigSettings>();

  add(settings: ProviderConfigSettings): void {
    this.#byType.set(settings.type, settings);
  }

  has(type: string): boolean {
    return this.#byType.has(type);
  }

  /**
   * The problems of client `name`'s `providerSettings` against its provider's
   * schema (`clients.aws.providerSettings.regoin: unknown key …`), with the
   * checked values when there are none.
   */
  check(
    name: string,
    client: ClientConfig,
  ): { settings: Partial<ProviderSettings>; issues: ConfigIssue[] } {
    const given = client.providerSettings;
    if (given === undefined) return { settings: {}, issues: [] };
    const path = `clients.${name}.providerSettings`;
    const definition = this.#byType.get(client.provider);
    if (definition === undefined) {
      if (Object.keys(given).length === 0) return { settings: {}, issues: [] };
      const message = `provider "${client.provider}" takes no providerSettings (its package exports no configSettings): give its settings in code`;
      return { settings: {}, issues: [{ path, message }] };
    }
    const { value, issues } = checkProviderSettings(definition.schema, given, path);
    if (issues.length > 0) return { settings: {}, issues };
    return { settings: definition.toProviderSettings(value as never), issues };
  }

  /**
   * A `ConfigCheck` for `ConfigManager.addCheck`: a reload whose provider
   * settings are invalid is rejected (the running config stays). Clients of a
   * provider type not installed yet are left to the build, which imports it.
   */
  configCheck(isInstalled: (type: string) => boolean): ConfigCheck {
    return (config) =>
      Object.entries(config.clients).flatMap(([name, client]) =>
        isInstalled(client.provider) ? this.check(name, client).issues : [],
      );
  }

  /** Client `name`'s checked provider settings; a `ConfigError` naming the client and every bad key path. */
  read(name: string, client: ClientConfig): Partial<ProviderSettings> {
    const { settings, issues } = this.check(name, client);
    if (issues.length === 0) return settings;
    throw new ConfigError(
      `Client "${name}": invalid providerSettings for provider "${client.provider}" (${issues.length} problem${issues.length === 1 ? "" : "s"})`,
      { issues },
    );
  }
}
