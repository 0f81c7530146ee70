// An audit log plugin, loaded at run time because llm.config.yaml names it.
// One JSON line per call — who asked which client, what came back, from where —
// with every string passed through the redactor: no key ever reaches the file.
import { createWriteStream, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { redactSecrets } from "@llm/core";

/** @type {import("node:fs").WriteStream | undefined} */
let out;

/** @type {import("@llm/plugins").PluginDefinition<{ file: string }>} */
export default {
  name: "audit-log",
  version: "1.0.0",
  apiVersion: 1,
  configSchema: {
    "~standard": {
      version: 1,
      vendor: "workflow-demo",
      validate(value) {
        const file = value && typeof value === "object" ? value.file : undefined;
        return typeof file === "string" && file.length > 0
          ? { value: { file } }
          : { issues: [{ message: "expected a file path", path: ["file"] }] };
      },
    },
  },
  setup(ctx) {
    const file = resolve(ctx.config.file);
    mkdirSync(dirname(file), { recursive: true });
    out = createWriteStream(file, { flags: "a", mode: 0o600 });
    const write = (entry) =>
      out.write(`${redactSecrets(JSON.stringify({ at: new Date().toISOString(), ...entry }))}\n`);
    ctx.hooks.hook("afterResponse", ({ call, response, durationMs }) =>
      write({
        client: call.client,
        provider: response.provider,
        model: response.model,
        origin: response.origin.type === "cache" ? `cache:${response.origin.level}` : "upstream",
        requestId: response.requestId,
        tokens: response.usage.totalTokens,
        ms: Math.round(durationMs),
      }),
    );
    ctx.hooks.hook("onError", ({ call, error }) =>
      write({ client: call.client, error: error.code, message: error.message }),
    );
  },
  teardown() {
    return new Promise((done) => (out ? out.end(() => done()) : done()));
  },
};
