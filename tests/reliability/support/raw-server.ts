import { once } from "node:events";
import { createServer, type Server } from "node:http";

/** What the raw server answers the next request with. */
export interface RawReply {
  status: number;
  contentType: string;
  /** Written one by one, each in its own `write`, so the client sees them as separate reads. */
  chunks: Uint8Array[];
}

/**
 * A bare node:http server that answers whatever bytes a test hands it —
 * the way to put bodies no well-behaved mock would send in front of a provider.
 */
export class RawServer {
  reply: RawReply = { status: 200, contentType: "application/json", chunks: [] };
  readonly #server: Server;

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(): Promise<RawServer> {
    const server = createServer();
    const raw = new RawServer(server);
    server.on("request", (request, response) => {
      request.resume();
      request.on("end", () => {
        const { status, contentType, chunks } = raw.reply;
        response.writeHead(status, { "content-type": contentType });
        for (const chunk of chunks) response.write(chunk);
        response.end();
      });
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    return raw;
  }

  get origin(): string {
    const address = this.#server.address();
    return `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    this.#server.close();
    await once(this.#server, "close");
  }
}
