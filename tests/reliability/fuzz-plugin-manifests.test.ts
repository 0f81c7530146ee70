import { Hooks } from "@llm/hooks";
import { type PluginDefinition, type PluginLogger, PluginManager } from "@llm/plugins";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fuzzParams } from "./support/fuzz.js";
import { expectTypedFailure } from "./support/typed-failure.js";
import { failOnUnhandled } from "./support/unhandled.js";

const RUNS = 300;
const silent: PluginLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** Anything a field can hold, near misses first. */
const odd = fc.oneof(
  fc.constantFrom(
    undefined,
    null,
    0,
    "",
    "x",
    [],
    {},
    () => undefined,
    async () => undefined,
    5,
  ),
  fc.anything({ maxDepth: 1 }),
);

/** Mostly absent (or well-formed), so that whole plugin lists load too and reach start / stop. */
const mostlyAbsent = <T>(arb: fc.Arbitrary<T>, valid?: unknown): fc.Arbitrary<unknown> =>
  fc.oneof({ arbitrary: fc.constant(valid), weight: 5 }, { arbitrary: arb, weight: 1 });

const schemaResult = fc.oneof(
  fc.constant({ value: {} }),
  fc.constant({ issues: [{ message: "bad", path: ["a"] }] }),
  fc.record({ issues: odd }),
  fc.record({ issues: fc.array(fc.record({ message: odd, path: odd }, { requiredKeys: [] })) }),
  odd,
);

const configSchema = fc.oneof(
  fc.constant(undefined),
  odd,
  fc.record({ "~standard": odd }),
  schemaResult.map((result) => ({
    "~standard": { version: 1, vendor: "fuzz", validate: () => result },
  })),
);

/**
 * A plugin module's export that passes the loader's check (name, version,
 * apiVersion, setup) with every other field of any type: what a broken or
 * foreign package can hand the manager.
 */
const manifest = fc
  .record(
    {
      name: fc.constantFrom("a", "b", "c"),
      apiVersion: fc.constantFrom(1, 1, 1, 2, 0, Number.NaN),
      dependencies: fc.oneof(
        mostlyAbsent(odd),
        fc.array(fc.oneof(fc.constantFrom("a", "b", "c", "z"), odd), { maxLength: 2 }),
      ),
      configSchema: fc.oneof(configSchema, mostlyAbsent(odd)),
      setupThrows: mostlyAbsent(odd),
      start: mostlyAbsent(odd, () => undefined),
      stop: mostlyAbsent(odd, async () => undefined),
      teardown: mostlyAbsent(odd),
    },
    { requiredKeys: ["name", "apiVersion"] },
  )
  .map(
    ({ setupThrows, ...fields }) =>
      ({
        version: "1.0.0",
        ...fields,
        setup() {
          if (setupThrows !== undefined) throw setupThrows;
        },
      }) as unknown as PluginDefinition,
  );

describe("plugin manifests of every shape", () => {
  failOnUnhandled();

  it("load refuses with a ConfigError naming the plugin, or start/stop isolate the plugin with typed reports", async () => {
    const seen = { loaded: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(manifest, { selector: (m) => m.name, minLength: 1, maxLength: 3 }),
        fc.boolean(),
        async (plugins, required) => {
          const reported: unknown[] = [];
          const manager = new PluginManager({
            hooks: new Hooks(),
            logger: () => silent,
            onError: (error) => reported.push(error),
          });
          try {
            await manager.load(plugins.map((plugin) => ({ plugin, required })));
          } catch (error) {
            expectTypedFailure(error);
            seen.refused++;
            return;
          }
          seen.loaded++;
          try {
            await manager.start();
          } catch (error) {
            // Only a required plugin's failure fails the start, and typed.
            expect(required).toBe(true);
            expectTypedFailure(error);
          }
          await manager.stop();
          for (const error of reported) expectTypedFailure(error);
          for (const status of manager.status()) {
            if (status.error !== undefined) expect(typeof status.error).toBe("string");
          }
        },
      ),
      fuzzParams(RUNS),
    );
    expect(seen.loaded).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });
});
