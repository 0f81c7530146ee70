import type { Prng } from "./prng.js";
import type {
  FaultKind,
  FaultOptions,
  MockErrorReply,
  MockReply,
  RecordedRequest,
} from "./types.js";

interface Rule {
  matcher: (request: RecordedRequest) => boolean;
  reply: MockReply | ((request: RecordedRequest) => MockReply);
  remaining: number;
}

/** Scripted replies: matchers first (in registration order), then the FIFO queue. */
export class ReplyScript {
  private readonly queue: MockReply[] = [];
  private rules: Rule[] = [];

  enqueue(replies: MockReply[]): void {
    this.queue.push(...replies);
  }

  when(rule: Omit<Rule, "remaining">, times: number | undefined): void {
    this.rules.push({ ...rule, remaining: times ?? Number.POSITIVE_INFINITY });
  }

  /** The scripted reply for a request, consuming it; `undefined` when nothing is scripted. */
  take(request: RecordedRequest): MockReply | undefined {
    if (this.rules.length > 0) {
      for (const rule of this.rules) {
        if (rule.remaining > 0 && rule.matcher(request)) {
          rule.remaining--;
          if (rule.remaining === 0) this.rules = this.rules.filter((r) => r !== rule);
          return typeof rule.reply === "function" ? rule.reply(request) : rule.reply;
        }
      }
    }
    return this.queue.shift();
  }

  clear(): void {
    this.queue.length = 0;
    this.rules = [];
  }
}

/** The reply a random fault of `kind` produces for a provider. */
export function faultReply(
  kind: FaultKind,
  faults: FaultOptions,
  provider: { authError(): MockErrorReply; overloadedStatus: number },
): MockReply {
  switch (kind) {
    case "rate-limit":
      return { status: 429, retryAfterMs: faults.retryAfterMs ?? 1000 };
    case "server-error":
      return { status: 500 };
    case "overloaded":
      return { status: provider.overloadedStatus };
    case "auth":
      return provider.authError();
    default:
      return { fault: kind };
  }
}

/** Draws whether this request gets a fault, and which. */
export function drawFault(faults: FaultOptions | undefined, prng: Prng): FaultKind | undefined {
  if (faults === undefined || faults.rate <= 0 || faults.kinds.length === 0) return undefined;
  return prng.next() < faults.rate ? prng.pick(faults.kinds) : undefined;
}
