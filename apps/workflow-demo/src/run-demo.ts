import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, isLLMError } from "@llm/core";
import { createLLMContainer, type LLMContainer, TOKENS } from "@llm/di";
import type { DemoArgs } from "./cli/args.js";
import { Progress } from "./cli/progress.js";
import { type RunFacts, renderSummary, summarize } from "./cli/summary.js";
import tickets from "./data/tickets.json" with { type: "json" };
import type { CallRecord, NodeContext } from "./engine/types.js";
import { LLM_NODE_FACTORY, LLMNodeFactory } from "./nodes/llm-node-factory.js";
import { startOfflineProviders } from "./offline/offline-providers.js";
import type { Ticket, TicketState } from "./workflow/ticket-state.js";
import { ticketWorkflow } from "./workflow/ticket-workflow.js";

export const appDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export interface DemoIO {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: Record<string, string | undefined>;
  /** Resolves when the user asks to stop (--watch). */
  stopSignal?: Promise<void>;
}

/** Exit codes: 0 done, 1 some tickets failed, 2 bad config or arguments. */
export async function runDemo(args: DemoArgs, io: DemoIO): Promise<number> {
  const dataDir = resolve(args.dataDir ?? join(appDir, "data"));
  mkdirSync(dataDir, { recursive: true });
  const offline = await startOfflineProviders(io.env, {
    latencyMs: args.latencyMs,
    chunkMs: args.chunkMs,
    down: args.down,
  });
  let container: LLMContainer | undefined;
  try {
    const overrides = {
      ...(args.cache ? {} : { cache: { enabled: false } }),
      ...(args.redis
        ? {
            cache: {
              l2: { type: "redis" as const, url: args.redis, namespace: args.redisNamespace },
            },
          }
        : {}),
    };
    try {
      container = await createLLMContainer({
        config: {
          files: [args.config],
          env: { ...io.env, ...offline.env, LLM_DEMO_DATA_DIR: dataDir },
          overrides,
          watch: args.watch,
        },
        baseDir: appDir,
        configure: (c) => {
          c.bind(LLM_NODE_FACTORY).to(LLMNodeFactory).inSingletonScope();
        },
      });
    } catch (error) {
      if (error instanceof ConfigError) {
        io.stderr.write(`Invalid configuration in ${args.config}:\n${error.message}\n`);
        return 2;
      }
      throw error;
    }

    const hooks = container.get(TOKENS.Hooks);
    let retries = 0;
    let fallbacks = 0;
    hooks.hook("onRetry", () => void retries++);
    hooks.hook("onFallback", () => void fallbacks++);

    const workflow = ticketWorkflow(container.get<LLMNodeFactory>(LLM_NODE_FACTORY));
    const queue = (tickets as Ticket[]).slice(0, args.limit);
    const records: CallRecord[] = [];
    const progress = new Progress(queue.length, io.stderr, !args.json);
    const controller = new AbortController();
    const context: NodeContext = {
      signal: controller.signal,
      record: (r) => {
        records.push(r);
        progress.call(r.origin !== "upstream");
      },
    };

    const started = performance.now();
    let failedTickets = 0;
    let next = 0;
    const worker = async () => {
      while (next < queue.length) {
        const ticket = queue[next++]!;
        try {
          await workflow.run({ ticket }, context);
        } catch (error) {
          failedTickets++;
          io.stderr.write(
            `\nticket ${ticket.id} failed: ${isLLMError(error) ? error.message : String(error)}\n`,
          );
        }
        progress.tick();
      }
    };
    await Promise.all(Array.from({ length: Math.min(args.concurrency, queue.length) }, worker));
    const wallMs = performance.now() - started;

    const config = container.get(TOKENS.Config);
    const cacheMiddleware = container.get(TOKENS.CacheMiddleware);
    const facts: RunFacts = {
      records,
      tickets: queue.length,
      failedTickets,
      wallMs,
      models: Object.fromEntries(
        Object.entries(config.clients).map(([name, c]) => [name, c.model]),
      ),
      pool: poolTotals(container),
      retries,
      fallbacks,
    };
    if (cacheMiddleware) {
      await cacheMiddleware.flush();
      const stats = cacheMiddleware.stats();
      const l1 = container.get(TOKENS.CacheL1);
      facts.cache = {
        hits: stats.hits,
        coalesced: stats.coalesced,
        upstreamCalls: stats.upstreamCalls,
        tokensSaved: stats.tokensSaved.total,
        latencySavedMs: stats.latencySavedMs,
        l1Bytes: l1.bytes,
        l1Entries: l1.size,
      };
    }
    const summary = summarize(facts);
    io.stdout.write(
      args.json ? `${JSON.stringify(summary, null, 2)}\n` : `${renderSummary(summary)}\n`,
    );

    if (args.watch) await watchLoop(container, workflow, queue, context, io, records);
    return failedTickets > 0 ? 1 : 0;
  } finally {
    await container?.dispose();
    await offline.close();
  }
}

function poolTotals(container: LLMContainer): RunFacts["pool"] {
  const stats = container.get(TOKENS.ConnectionPool).stats() as Record<
    string,
    { connectionsOpened: number; requestsServed: number }
  >;
  let connectionsOpened = 0;
  let requestsServed = 0;
  for (const s of Object.values(stats)) {
    connectionsOpened += s.connectionsOpened;
    requestsServed += s.requestsServed;
  }
  return { connectionsOpened, requestsServed };
}

/**
 * --watch: keep taking tickets, slowly, and report which model answered, so
 * an edit of llm.config.yaml shows up on the next ticket. Invalid edits are
 * reported and ignored (the last good config stays).
 */
async function watchLoop(
  container: LLMContainer,
  workflow: ReturnType<typeof ticketWorkflow>,
  queue: Ticket[],
  context: NodeContext,
  io: DemoIO,
  records: CallRecord[],
): Promise<void> {
  const manager = container.get(TOKENS.ConfigManager);
  manager.onChange(({ changes }) =>
    io.stderr.write(`config reloaded: ${changes.map((c) => c.path).join(", ")}\n`),
  );
  manager.onError((error) =>
    io.stderr.write(`config edit rejected, keeping the last good one:\n${error.message}\n`),
  );
  io.stderr.write("watching the config; edit a client's model to see it switch (Ctrl-C to stop)\n");
  let stopped = false;
  void io.stopSignal?.then(() => {
    stopped = true;
  });
  for (let i = 0; !stopped; i++) {
    const ticket = queue[i % queue.length]!;
    const from = records.length;
    // A fresh prompt each round, so the answer comes from the (new) model rather than the cache.
    await workflow
      .run(
        { ticket: { ...ticket, body: `${ticket.body} (round ${i})` } } satisfies TicketState,
        context,
      )
      .catch((error: unknown) => io.stderr.write(`ticket ${ticket.id} failed: ${String(error)}\n`));
    const used = records
      .slice(from)
      .map((r) => `${r.client}=${r.model || "error"}`)
      .join(" ");
    io.stdout.write(`${ticket.id}: ${used}\n`);
    await Promise.race([new Promise((r) => setTimeout(r, 1_000)), io.stopSignal]);
  }
}
