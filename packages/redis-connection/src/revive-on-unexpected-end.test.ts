import { EventEmitter } from "node:events";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Reconnectable, reviveOnUnexpectedEnd } from "./revive-on-unexpected-end.js";

/** A connection that ends, and counts how often it is asked to connect again. */
class FakeConnection extends EventEmitter implements Reconnectable {
  status = "ready";
  connects = 0;
  async connect(): Promise<void> {
    this.connects += 1;
    this.status = "ready";
  }
  end(): void {
    this.status = "end";
    this.emit("end");
  }
}

describe("reviveOnUnexpectedEnd", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("connects again after the delay when the connection ends unasked", () => {
    const connection = new FakeConnection();
    reviveOnUnexpectedEnd(connection, () => false, 1_000);
    connection.end();
    vi.advanceTimersByTime(999);
    expect(connection.connects).toBe(0);
    vi.advanceTimersByTime(1);
    expect(connection.connects).toBe(1);
  });

  it("leaves a connection its owner closed", () => {
    const connection = new FakeConnection();
    reviveOnUnexpectedEnd(connection, () => true, 10);
    connection.end();
    vi.runAllTimers();
    expect(connection.connects).toBe(0);
  });

  it("does not connect when the owner closes it during the delay", () => {
    const connection = new FakeConnection();
    let closed = false;
    reviveOnUnexpectedEnd(connection, () => closed, 10);
    connection.end();
    closed = true;
    vi.runAllTimers();
    expect(connection.connects).toBe(0);
  });

  it("does not connect when ioredis already brought the connection back", () => {
    const connection = new FakeConnection();
    reviveOnUnexpectedEnd(connection, () => false, 10);
    connection.end();
    connection.status = "connecting";
    vi.runAllTimers();
    expect(connection.connects).toBe(0);
  });

  it("swallows a failed reconnect (the connection reports errors through its own events)", async () => {
    const connection = new FakeConnection();
    connection.connect = vi.fn(async () => {
      throw new Error("ECONNREFUSED");
    });
    reviveOnUnexpectedEnd(connection, () => false, 10);
    connection.end();
    vi.runAllTimers();
    await Promise.resolve();
    expect(connection.connect).toHaveBeenCalledTimes(1);
  });
});
