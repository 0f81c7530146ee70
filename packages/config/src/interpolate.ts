import { isPlainObject, type PathSegment } from "./merge.js";

/**
 * `${VAR}`, `${VAR:-default}` and `${VAR:?message}` references inside file
 * strings, resolved against an environment; `$${…}` is a literal `${…}`.
 * Only string values are touched, never keys, so a reference always has a key
 * path to blame.
 */

export type Env = Readonly<Record<string, string | undefined>>;

export interface InterpolationProblem {
  path: PathSegment[];
  message: string;
  /** The variable at fault, when there is one. */
  variable?: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export type InterpolationResult =
  | { ok: true; value: string }
  | { ok: false; message: string; variable?: string };

/** Resolves every reference in one string; stops at the first problem. */
export function interpolateString(text: string, env: Env): InterpolationResult {
  if (!text.includes("${")) return { ok: true, value: text };
  let out = "";
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf("$", i);
    if (dollar < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    if (text.startsWith("$${", dollar)) {
      // Escape: `$${X}` stays a literal `${X}`; copy through the closing brace.
      const close = text.indexOf("}", dollar + 3);
      const end = close < 0 ? text.length : close + 1;
      out += text.slice(dollar + 1, end);
      i = end;
      continue;
    }
    if (!text.startsWith("${", dollar)) {
      out += "$";
      i = dollar + 1;
      continue;
    }
    const close = text.indexOf("}", dollar + 2);
    if (close < 0) return { ok: false, message: 'unterminated "${" reference (missing "}")' };
    const resolved = resolveReference(text.slice(dollar + 2, close), env);
    if (!resolved.ok) return resolved;
    out += resolved.value;
    i = close + 1;
  }
  return { ok: true, value: out };
}

function resolveReference(body: string, env: Env): InterpolationResult {
  const required = body.indexOf(":?");
  const fallback = body.indexOf(":-");
  const cut = [required, fallback].filter((n) => n >= 0).sort((a, b) => a - b)[0];
  const name = cut === undefined ? body : body.slice(0, cut);
  if (!NAME.test(name)) {
    return {
      ok: false,
      message: `invalid reference "\${${name}}": expected \${NAME}, \${NAME:-default} or \${NAME:?message}`,
    };
  }
  const value = env[name];
  const present = value !== undefined && value !== "";
  if (cut === undefined) {
    if (value === undefined) {
      return { ok: false, variable: name, message: `environment variable ${name} is not set` };
    }
    return { ok: true, value };
  }
  const rest = body.slice(cut + 2);
  if (cut === fallback) return { ok: true, value: present ? (value as string) : rest };
  if (present) return { ok: true, value: value as string };
  return {
    ok: false,
    variable: name,
    message: `environment variable ${name} is required${rest ? `: ${rest}` : ""}`,
  };
}

/**
 * Returns a copy of `data` with every string interpolated; problems are
 * collected (not thrown) so one pass reports all of them.
 */
export function interpolateTree(
  data: unknown,
  env: Env,
  problems: InterpolationProblem[],
  path: PathSegment[] = [],
): unknown {
  if (typeof data === "string") {
    const result = interpolateString(data, env);
    if (result.ok) return result.value;
    problems.push({
      path,
      message: result.message,
      ...(result.variable ? { variable: result.variable } : {}),
    });
    return undefined;
  }
  if (Array.isArray(data))
    return data.map((item, i) => interpolateTree(item, env, problems, [...path, i]));
  if (isPlainObject(data)) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(data)) {
      out[key] = interpolateTree(value, env, problems, [...path, key]);
    }
    return out;
  }
  return data;
}
