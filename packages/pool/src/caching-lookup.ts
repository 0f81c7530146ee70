import { lookup as dnsLookup, type LookupAddress } from "node:dns";

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

export type LookupFunction = (
  hostname: string,
  options: { family?: number | string; all?: boolean },
  callback: LookupCallback,
) => void;

interface Entry {
  expires: number;
  address: string | LookupAddress[];
  family: number | undefined;
}

/**
 * A `lookup` for `net.connect` that reuses answers for `ttlMs`. A pool resolves a
 * name only when it opens a socket, so this saves the resolver round trip on
 * reconnect storms (e.g. after a provider closes idle sockets). Failures are not cached.
 *
 * Why not undici's `dns` interceptor: it rewrites each request's origin to an IP,
 * which is built for an Agent routing by origin; with one Pool per origin the Pool
 * dials its own hostname, so the cache has to sit in the connector.
 */
export function createCachingLookup(ttlMs: number, resolve = dnsLookup): LookupFunction {
  const cache = new Map<string, Entry>();
  return (hostname, options, callback) => {
    const key = `${hostname}|${options.family ?? 0}|${options.all === true}`;
    const hit = cache.get(key);
    if (hit && hit.expires > Date.now()) {
      process.nextTick(callback, null, hit.address, hit.family);
      return;
    }
    resolve(
      hostname,
      { ...options, all: options.all === true } as { all: true },
      ((
        error: NodeJS.ErrnoException | null,
        address: string | LookupAddress[],
        family?: number,
      ) => {
        if (!error) cache.set(key, { expires: Date.now() + ttlMs, address, family });
        callback(error, address, family);
      }) as never,
    );
  };
}
