import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { redactSecrets } from "./redact.js";
import { isSecretURL, revealURL, SecretURL } from "./secret-url.js";

const RAW = "https://generativelanguage.example/v1beta?key=AQ.planted-url-key-777&alt=sse";
const SHOWN = "https://generativelanguage.example/v1beta?key=[REDACTED]&alt=sse";

describe("SecretURL", () => {
  it("shows only the redacted URL through String, templates, JSON and inspect", () => {
    const url = new SecretURL(RAW);
    expect(String(url)).toBe(SHOWN);
    expect(`${url}`).toBe(SHOWN);
    expect(JSON.stringify({ url })).toBe(`{"url":"${SHOWN}"}`);
    expect(inspect(url)).toBe(`SecretURL(${SHOWN})`);
    expect(inspect({ url }, { breakLength: Infinity })).toBe(`{ url: SecretURL(${SHOWN}) }`);
  });

  it("reveals the real URL for the caller that needs it", () => {
    const url = new SecretURL(RAW);
    expect(url.reveal()).toBe(RAW);
    expect(revealURL(url)).toBe(RAW);
    expect(revealURL("http://plain")).toBe("http://plain");
    expect(isSecretURL(url)).toBe(true);
    expect(url.hasCredentials).toBe(true);
    expect(new SecretURL("http://127.0.0.1:8080/v1").hasCredentials).toBe(false);
  });

  it("registers its credential parts so a message quoting the real URL is masked", () => {
    new SecretURL("redis://:unshaped-redis-pw@cache:6379");
    expect(redactSecrets("ECONNREFUSED for pw unshaped-redis-pw")).toBe(
      "ECONNREFUSED for pw [REDACTED]",
    );
  });
});
