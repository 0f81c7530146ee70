export { type ReadyWatchable, readyOrTLSFailure } from "./ready-or-tls-failure.js";
export { asRedisTLSError, RedisTLSError } from "./redis-tls-error.js";
export { type Reconnectable, reviveOnUnexpectedEnd } from "./revive-on-unexpected-end.js";
export {
  type RedisSentinelOptions,
  type SentinelConnectionOptions,
  sentinelConnectionOptions,
} from "./sentinel-connection-options.js";
export {
  isPEMText,
  MAX_TLS_FILE_BYTES,
  type RedisTLSOptions,
  type TLSConnectionOptions,
  tlsConnectionOptions,
} from "./tls-connection-options.js";
