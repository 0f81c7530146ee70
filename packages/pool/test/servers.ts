import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach } from "vitest";

export interface TestServer {
  origin: string;
  url(path?: string): string;
  /** Sockets the server accepted (`connection` events). */
  readonly connections: number;
  readonly requests: number;
  close(): Promise<void>;
}

/** A real node:http server on 127.0.0.1 that counts its sockets. */
export async function startServer(handler: http.RequestListener): Promise<TestServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    handler(req, res);
  });
  server.keepAliveTimeout = 30_000;
  server.on("connection", (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (path = "/") => `${origin}${path}`,
    get connections() {
      return connections;
    },
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A `server(handler)` whose servers are closed after each test. Call it at the top of a
 * test file, before the file registers its pool's `afterEach`: vitest runs after-hooks in
 * reverse order, so the pool is destroyed before its servers close.
 */
export function serversClosedAfterEach(): (handler: http.RequestListener) => Promise<TestServer> {
  const open: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  return async (handler) => {
    const s = await startServer(handler);
    open.push(s);
    return s;
  };
}

/** Replies with a small JSON body naming the path. */
export const jsonHandler: http.RequestListener = (req, res) => {
  let body = "";
  req.on("data", (c: Buffer) => {
    body += c.toString();
  });
  req.on("end", () => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ path: req.url, method: req.method, body }));
  });
};

/** Streams one chunk every `everyMs` until the client goes away. */
export function endlessStream(everyMs: number): http.RequestListener {
  return (_req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write("data: first\n\n");
    const timer = setInterval(() => res.write("data: more\n\n"), everyMs);
    res.on("close", () => clearInterval(timer));
  };
}

/** A server that never answers until released; counts what it holds. */
export function heldHandler(): {
  handler: http.RequestListener;
  releaseAll(): void;
  readonly held: number;
} {
  const held: http.ServerResponse[] = [];
  return {
    handler: (req, res) => {
      req.resume();
      held.push(res);
    },
    releaseAll() {
      for (const res of held.splice(0)) res.end("done");
    },
    get held() {
      return held.length;
    },
  };
}

export async function waitFor(
  condition: () => boolean,
  what: string,
  limitMs = 5_000,
): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
