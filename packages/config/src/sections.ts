import { ConfigError } from "@llm/core";
import { z } from "zod";
import {
  ALWAYS,
  BUILT_IN_SECTIONS,
  baseConfigShape,
  checkClients,
  type LLMConfig,
} from "./schema.js";

/**
 * A package or plugin contributes a top-level section of the config (e.g.
 * `audit: { sink: … }`) with its own zod schema; the section is validated with
 * everything else and reported with file positions like built-in keys.
 */
export interface ConfigSection<N extends string = string, S extends z.ZodType = z.ZodType> {
  readonly name: N;
  readonly schema: S;
}

export type AnyConfigSection = ConfigSection<string, z.ZodType>;

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (
  x: infer I,
) => void
  ? I
  : never;

/** `{ [name]: output }` for every section in the list. */
export type SectionsOutput<T extends readonly AnyConfigSection[]> = T extends readonly []
  ? unknown
  : UnionToIntersection<
      { [K in keyof T]: { [P in T[K]["name"]]: z.output<T[K]["schema"]> } }[number]
    >;

/** The config type with contributed sections added. */
export type ConfigWith<T extends readonly AnyConfigSection[]> = LLMConfig & SectionsOutput<T>;

const SECTION_NAME = /^[a-zA-Z][a-zA-Z0-9_-]*$/;

/**
 * Declares a section. When the key is absent from every source the schema
 * receives `undefined`, so give it a `.default()`/`.prefault({})` or make it
 * `.optional()` unless the section is mandatory.
 */
export function defineConfigSection<const N extends string, S extends z.ZodType>(
  name: N,
  schema: S,
): ConfigSection<N, S> {
  if (!SECTION_NAME.test(name)) {
    throw new ConfigError(`Invalid config section name "${name}"`, {
      issues: [
        { path: name, message: "section names start with a letter: letters, digits, - or _" },
      ],
    });
  }
  if (BUILT_IN_SECTIONS.has(name)) {
    throw new ConfigError(`Config section "${name}" is built in and cannot be redefined`, {
      issues: [{ path: name, message: "built-in section" }],
    });
  }
  return Object.freeze({ name, schema });
}

/** The whole-config schema with `sections` added (duplicates are a `ConfigError`). */
export function extendSchema<const T extends readonly AnyConfigSection[]>(
  ...sections: T
): z.ZodType<ConfigWith<T>> {
  const shape: Record<string, z.ZodType> = { ...baseConfigShape };
  for (const section of sections) {
    if (Object.hasOwn(shape, section.name)) {
      throw new ConfigError(`Config section "${section.name}" is defined twice`, {
        issues: [{ path: section.name, message: "duplicate section" }],
      });
    }
    shape[section.name] = section.schema;
  }
  return z.strictObject(shape).superRefine((config, ctx) => {
    checkClients((config as { clients?: unknown }).clients, ctx);
  }, ALWAYS) as unknown as z.ZodType<ConfigWith<T>>;
}

/** A plugin reads its own validated section from a loaded config. */
export function readSection<N extends string, S extends z.ZodType>(
  config: Readonly<Record<string, unknown>>,
  section: ConfigSection<N, S>,
): z.output<S> {
  return config[section.name] as z.output<S>;
}
