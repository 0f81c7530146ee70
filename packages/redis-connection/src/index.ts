export { type Reconnectable, reviveOnUnexpectedEnd } from "./revive-on-unexpected-end.js";
export {
  type RedisSentinelOptions,
  type SentinelConnectionOptions,
  sentinelConnectionOptions,
} from "./sentinel-connection-options.js";
