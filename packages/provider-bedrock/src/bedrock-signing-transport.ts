import type { Transport, TransportRequest, TransportResponse } from "@llm/core";
import { SignatureV4 } from "@smithy/signature-v4";
import type { CredentialSource } from "./bedrock-credentials.js";
import { NodeSha256 } from "./node-sha256.js";

/** The service name Bedrock Runtime signs under (its endpoint is `bedrock-runtime`, its scope `bedrock`). */
export const BEDROCK_SIGNING_SERVICE = "bedrock";

/**
 * A `Transport` that signs each request with AWS Signature V4 before handing
 * it to the inner one: smithy's `SignatureV4` (the AWS SDK's own signer) over
 * the method, path, query, headers and the exact body bytes that are sent.
 * It runs per request, after core has added the call's headers, so they are
 * signed too; credentials come from the source each time (a refreshing
 * provider is honoured). `host` is signed but not passed on: the inner
 * transport sends the URL's own.
 */
export class SigV4Transport implements Transport {
  readonly #inner: Transport;
  readonly #signer: SignatureV4;

  constructor(inner: Transport, region: string, credentials: CredentialSource) {
    this.#inner = inner;
    this.#signer = new SignatureV4({
      service: BEDROCK_SIGNING_SERVICE,
      region,
      credentials: credentials.provide,
      sha256: NodeSha256,
    });
  }

  async request(request: TransportRequest): Promise<TransportResponse> {
    // Already aborted: the inner transport fails it at once, without asking for credentials.
    if (request.signal?.aborted) return this.#inner.request(request);
    const url = new URL(request.url);
    const query: Record<string, string> = {};
    for (const [name, value] of url.searchParams) query[name] = value;
    const headers: Record<string, string> = { ...request.headers, host: url.host };
    const signed = await this.#signer.sign({
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port === "" ? {} : { port: Number(url.port) }),
      path: url.pathname,
      query,
      headers,
      body: request.body,
    });
    const sent: Record<string, string> = {};
    for (const [name, value] of Object.entries(signed.headers as Record<string, string>)) {
      if (name !== "host") sent[name] = value;
    }
    return this.#inner.request({ ...request, headers: sent });
  }

  close(): Promise<void> {
    return this.#inner.close?.() ?? Promise.resolve();
  }
}
