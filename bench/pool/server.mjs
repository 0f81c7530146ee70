// Minimal OpenAI-wire-format server for bench/pool, run in its own process so its
// CPU is not counted against the client. Plain node:http with precomputed bodies:
// @llm/testkit parses, records and renders every request, which would make the
// server (one core of two) the bottleneck and flatten the req/s comparison.
import http from "node:http";
import { completion, streamFrames } from "./openai-answers.mjs";

// A request under /batched/ gets its stream as 5 writes of 10 frames (same 50 events, same
// bytes): bench/pool's framing-sensitivity rows. Everything else gets one frame per write.
const BATCHED_PREFIX = "/batched/";
const FRAMES_PER_BATCH = 10;

const server = http.createServer((req, res) => {
  let stream = false;
  let size = 0;
  const parts = [];
  req.on("data", (c) => {
    parts.push(c);
    size += c.length;
  });
  req.on("end", () => {
    // Cheap check instead of a JSON.parse: the client sets "stream":true in the body.
    stream = size > 0 && Buffer.concat(parts, size).includes('"stream":true');
    if (!stream) {
      res.writeHead(200, {
        "content-type": "application/json",
        "content-length": completion.length,
        "x-request-id": "req_bench",
      });
      res.end(completion);
      return;
    }
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      "x-request-id": "req_bench",
    });
    // One frame per write, each flushed on its own tick, as a provider's token stream arrives
    // (or, under /batched/, ten frames corked into one write per tick).
    const perWrite = req.url?.startsWith(BATCHED_PREFIX) ? FRAMES_PER_BATCH : 1;
    let i = 0;
    const next = () => {
      if (res.destroyed) return;
      if (perWrite === 1) res.write(streamFrames[i++]);
      else {
        res.cork();
        for (let k = 0; k < perWrite && i < streamFrames.length; k++) res.write(streamFrames[i++]);
        res.uncork();
      }
      if (i < streamFrames.length) setImmediate(next);
      else res.end();
    };
    next();
  });
});
server.keepAliveTimeout = 60_000;
server.headersTimeout = 70_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on("message", (m) => {
  if (m === "stop") server.close(() => process.exit(0));
  // The bench samples the server's CPU around each slice, to show which side is saturated.
  else if (m === "cpu") process.send({ cpu: process.cpuUsage() });
});
process.on("disconnect", () => process.exit(0));
