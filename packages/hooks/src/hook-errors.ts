import { LLMError } from "@llm/core";

/** A handler threw, rejected or timed out. `hook` and `handler` name where. */
export class HookError extends LLMError {
  override readonly code: string = "HOOK";
  readonly hook: string;
  readonly handler: string;
  constructor(hook: string, handler: string, message: string, cause?: unknown) {
    super(`Hook "${hook}" handler "${handler}" failed: ${message}`, { cause });
    this.hook = hook;
    this.handler = handler;
  }
}

export class HookTimeoutError extends HookError {
  override readonly code = "HOOK_TIMEOUT";
  readonly timeoutMs: number;
  constructor(hook: string, handler: string, timeoutMs: number) {
    super(hook, handler, `did not settle within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/** `before` / `after` constraints that contradict each other. */
export class HookOrderError extends LLMError {
  override readonly code = "HOOK_ORDER";
  readonly hook: string;
  readonly handlers: string[];
  constructor(hook: string, handlers: string[]) {
    super(
      `Hook "${hook}": before/after constraints form a cycle between handlers ${handlers
        .map((h) => `"${h}"`)
        .join(", ")}`,
    );
    this.hook = hook;
    this.handlers = handlers;
  }
}
