import { afterEach, beforeEach, expect } from "vitest";

/** Records unhandled rejections and uncaught exceptions while a test runs. */
export function watchUnhandled(): { readonly errors: unknown[]; stop(): void } {
  const errors: unknown[] = [];
  const onError = (error: unknown) => {
    errors.push(error);
  };
  process.on("unhandledRejection", onError);
  process.on("uncaughtException", onError);
  return {
    errors,
    stop() {
      process.off("unhandledRejection", onError);
      process.off("uncaughtException", onError);
    },
  };
}

/**
 * In the `describe` that calls it: every test fails when an unhandled
 * rejection or an uncaught exception happened while it ran.
 */
export function failOnUnhandled(): void {
  let unhandled: ReturnType<typeof watchUnhandled>;
  beforeEach(() => {
    unhandled = watchUnhandled();
  });
  afterEach(() => {
    unhandled.stop();
    expect(unhandled.errors).toEqual([]);
  });
}
