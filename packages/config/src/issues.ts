import { type ConfigIssue, redactSecrets } from "@llm/core";
import type { z } from "zod";
import type { EnvOverride } from "./env-overrides.js";
import { formatPath, hasPath, type PathSegment } from "./merge.js";
import { isSecretKey } from "./secrets.js";
import type { SourceDocument } from "./source-document.js";

/**
 * Turns validation problems into `ConfigIssue`s that say where the bad value
 * came from: the file and line of the layer that set it last, the environment
 * variable, or "set in code".
 */

export interface LayerTrace {
  files: { doc: SourceDocument; data: unknown }[];
  env: EnvOverride[];
  code: unknown;
}

const sameSegment = (a: PathSegment, b: PathSegment) => String(a) === String(b);

export function locateIssue(
  trace: LayerTrace,
  path: readonly PathSegment[],
  message: string,
  options: { key?: boolean } = {},
): ConfigIssue {
  const issue: ConfigIssue = {
    path: formatPath(path),
    message: redactSecrets(wordForSecret(path, message)),
  };
  for (let depth = path.length; depth >= 1; depth--) {
    const prefix = path.slice(0, depth);
    if (hasPath(trace.code, prefix)) {
      issue.message += " (set in code)";
      return issue;
    }
    const fromEnv = [...trace.env]
      .reverse()
      .find(
        (o) =>
          o.path.length === prefix.length &&
          o.path.every((s, i) => sameSegment(s, prefix[i] as PathSegment)),
      );
    if (fromEnv) {
      issue.message += ` (from environment variable ${fromEnv.variable})`;
      return issue;
    }
    for (let i = trace.files.length - 1; i >= 0; i--) {
      const layer = trace.files[i] as LayerTrace["files"][number];
      if (hasPath(layer.data, prefix))
        return withPosition(issue, layer.doc, path, options.key === true);
    }
  }
  const last = trace.files.at(-1);
  return last ? withPosition(issue, last.doc, path, options.key === true) : issue;
}

/**
 * `ConfigError` prints `path: message`, and the core redactor masks the word
 * after `apiKey: ` (it looks like a key assignment). Starting such messages
 * with a short word keeps them readable while the value itself is never shown.
 */
function wordForSecret(path: readonly PathSegment[], message: string): string {
  const last = path.at(-1);
  if (typeof last !== "string" || !isSecretKey(last) || message.startsWith("is ")) return message;
  return `is invalid — ${message}`;
}

function withPosition(
  issue: ConfigIssue,
  doc: SourceDocument,
  path: readonly PathSegment[],
  key: boolean,
): ConfigIssue {
  if (doc.file !== undefined) issue.file = doc.file;
  const pos = doc.locate(path, { key });
  if (pos) {
    issue.line = pos.line;
    issue.column = pos.column;
  }
  return issue;
}

/** One `ConfigIssue` per zod issue (one per key for unknown keys), with friendlier wording. */
export function zodIssuesToConfigIssues(
  trace: LayerTrace,
  issues: readonly z.core.$ZodIssue[],
): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((s): s is PathSegment => typeof s !== "symbol");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        out.push(locateIssue(trace, [...path, key], `unknown key "${key}"`, { key: true }));
      }
      continue;
    }
    out.push(locateIssue(trace, path, describe(issue)));
  }
  return out;
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type" && /received undefined$/.test(issue.message)) {
    return `is required (expected ${issue.expected})`;
  }
  if (
    issue.code === "invalid_union" &&
    "discriminator" in issue &&
    typeof issue.discriminator === "string"
  ) {
    return `unknown ${issue.discriminator}`;
  }
  return issue.message.replace(/^Invalid input: /, "");
}
