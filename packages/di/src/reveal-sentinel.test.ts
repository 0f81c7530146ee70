import { Secret } from "@llm/core";
import { describe, expect, it } from "vitest";
import { revealTLS } from "./reveal-sentinel.js";

describe("revealTLS", () => {
  it("resolves relative certificate paths from the base directory, leaving PEM text and absolute paths alone", () => {
    const pem = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
    expect(
      revealTLS(
        {
          ca: "certs/ca.pem",
          cert: "/etc/redis/client.pem",
          key: new Secret(pem),
          rejectUnauthorized: true,
        },
        "/srv/app",
      ),
    ).toEqual({
      ca: "/srv/app/certs/ca.pem",
      cert: "/etc/redis/client.pem",
      key: pem,
      rejectUnauthorized: true,
    });
    expect(
      revealTLS({ key: new Secret("./client-key.pem"), rejectUnauthorized: false }, "/srv/app"),
    ).toEqual({
      key: "/srv/app/client-key.pem",
      rejectUnauthorized: false,
    });
  });
});
