import type { Dispatcher } from "undici";

type LegacyHandler = Dispatcher.DispatchHandler & {
  onConnect?: (abort: (err?: Error) => void, context?: object) => void;
  onHeaders?: (...args: never[]) => boolean;
  onData?: (chunk: Buffer) => boolean;
  onComplete?: (trailers: string[] | null) => void;
  onError?: (error: Error) => void;
  onUpgrade?: (...args: never[]) => void;
  onResponseStarted?: () => void;
  onBodySent?: (chunk: unknown) => void;
};

/**
 * Wraps a legacy-style undici handler (the kind `fetch` uses) to give the origin's
 * queue slot back exactly once (and count the outcome), when the request completes or fails.
 */
class LegacySlotHandler {
  #released = false;
  constructor(
    readonly inner: LegacyHandler,
    readonly settle: (error?: Error) => void,
  ) {}
  #done(error?: Error): void {
    if (this.#released) return;
    this.#released = true;
    this.settle(error);
  }
  onConnect(abort: (err?: Error) => void, context?: object): void {
    this.inner.onConnect?.(abort, context);
  }
  onResponseStarted(): void {
    this.inner.onResponseStarted?.();
  }
  onHeaders(...args: never[]): boolean {
    return this.inner.onHeaders ? this.inner.onHeaders(...args) : true;
  }
  onUpgrade(...args: never[]): void {
    this.#done();
    this.inner.onUpgrade?.(...args);
  }
  onData(chunk: Buffer): boolean {
    return this.inner.onData ? this.inner.onData(chunk) : true;
  }
  onBodySent(chunk: unknown): void {
    this.inner.onBodySent?.(chunk);
  }
  onComplete(trailers: string[] | null): void {
    this.#done();
    this.inner.onComplete?.(trailers);
  }
  onError(error: Error): void {
    this.#done(error);
    if (!this.inner.onError) throw error;
    this.inner.onError(error);
  }
}

type NewHandler = Required<Pick<Dispatcher.DispatchHandler, "onRequestStart">> &
  Dispatcher.DispatchHandler;

/** The same for handlers written against undici 7's controller API (interceptors). */
class ControllerSlotHandler {
  #released = false;
  constructor(
    readonly inner: NewHandler,
    readonly settle: (error?: Error) => void,
  ) {}
  #done(error?: Error): void {
    if (this.#released) return;
    this.#released = true;
    this.settle(error);
  }
  onRequestStart(...args: Parameters<NonNullable<NewHandler["onRequestStart"]>>): void {
    this.inner.onRequestStart(...args);
  }
  onRequestUpgrade(...args: Parameters<NonNullable<NewHandler["onRequestUpgrade"]>>): void {
    this.#done();
    this.inner.onRequestUpgrade?.(...args);
  }
  onResponseStart(...args: Parameters<NonNullable<NewHandler["onResponseStart"]>>): void {
    this.inner.onResponseStart?.(...args);
  }
  onResponseData(...args: Parameters<NonNullable<NewHandler["onResponseData"]>>): void {
    this.inner.onResponseData?.(...args);
  }
  onResponseEnd(...args: Parameters<NonNullable<NewHandler["onResponseEnd"]>>): void {
    this.#done();
    this.inner.onResponseEnd?.(...args);
  }
  onResponseError(...args: Parameters<NonNullable<NewHandler["onResponseError"]>>): void {
    this.#done(args[1]);
    this.inner.onResponseError?.(...args);
  }
}

export function wrapWithSlotRelease(
  handler: Dispatcher.DispatchHandler,
  settle: (error?: Error) => void,
): Dispatcher.DispatchHandler {
  if (typeof handler.onRequestStart === "function") {
    return new ControllerSlotHandler(handler as NewHandler, settle) as Dispatcher.DispatchHandler;
  }
  return new LegacySlotHandler(
    handler as LegacyHandler,
    settle,
  ) as unknown as Dispatcher.DispatchHandler;
}

/** Delivers an error that happened before dispatch (queue full, queue timeout, closed pool). */
export function failHandler(handler: Dispatcher.DispatchHandler, error: Error): void {
  const legacy = handler as LegacyHandler;
  if (typeof handler.onRequestStart === "function") {
    handler.onResponseError?.(null as never, error);
  } else if (legacy.onError) {
    legacy.onError(error);
  }
}
