import http from "node:http";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ConnectionPool } from "../src/index.js";
import { jsonHandler, startServer, type TestServer } from "./servers.js";

let server: TestServer | undefined;
let proxy: http.Server | undefined;
let pool: ConnectionPool | undefined;
afterEach(async () => {
  await pool?.destroy();
  await server?.close();
  proxy?.closeAllConnections();
  await new Promise((r) => proxy?.close(r));
  delete process.env.HTTP_PROXY;
});

/** A CONNECT-tunnelling forward proxy that records what it tunnelled. */
async function startProxy(seen: string[]): Promise<string> {
  proxy = http.createServer((_req, res) => res.writeHead(405).end());
  proxy.on("connect", (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    seen.push(req.url ?? "");
    const [host, port] = (req.url ?? "").split(":");
    const upstream = net.connect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  await new Promise<void>((r) => proxy?.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
}

describe("proxy", () => {
  it('sends requests through the proxy named by HTTP_PROXY when proxy is "env"', async () => {
    server = await startServer(jsonHandler);
    const seen: string[] = [];
    process.env.HTTP_PROXY = await startProxy(seen);
    pool = new ConnectionPool({ proxy: "env" });
    const r = await pool.request({ url: server.url("/via-proxy"), method: "GET", headers: {} });
    expect(await r.json()).toMatchObject({ path: "/via-proxy" });
    expect(seen).toEqual([server.origin.replace("http://", "")]);
    const f = await pool.fetch(server.url("/fetch-via-proxy"));
    expect(await f.json()).toMatchObject({ path: "/fetch-via-proxy" });
    expect(pool.stats(server.origin)).toMatchObject({ requestsServed: 2, inFlight: 0 });
    await pool.close();
  });
});
