/**
 * Lua scripts of the cross-process single-flight (`RedisFlightCoordinator`).
 * Per in-flight cache key `<key>` under the namespace `ns` (one hash tag, so
 * one Cluster slot with the store's own keys):
 *   `{ns}:l:<key>`  the lease: the leader's random token, `PX` expiry, renewed
 *   `{ns}:f:<key>`  the flight's log: a Redis Stream, one entry per step
 * Entry fields: `t` (s start, e event, o truncated, d done, a abandoned),
 * `k` (the leader's token), then `d` (an event's JSON) or `s` ("1": stored).
 *
 * Fencing: every write checks the lease still holds the writer's token, in
 * the same script as the write, so a leader that stalled past its lease
 * cannot append to (or end) the flight of the leader that replaced it.
 */

/**
 * KEYS: lease, log. ARGV: token, lease ms, log ttl ms, max log length.
 * Returns 1 (leader: the log restarts with this token's `s`), 2 (the last
 * flight ended stored a moment ago: read the store) or 0 (follow).
 */
export const CLAIM_SCRIPT = `
local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
if #last > 0 then
  local f = last[1][2]
  if f[1] == 't' and f[2] == 'd' and f[5] == 's' and f[6] == '1' then return 2 end
end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  redis.call('DEL', KEYS[2])
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', 't', 's', 'k', ARGV[1])
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
  return 1
end
return 0
`;

/** KEYS: lease, log. ARGV: token, max log length, entry type, data. Returns 0 when the lease is not ours. */
export const PUBLISH_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 't', ARGV[3], 'k', ARGV[1], 'd', ARGV[4])
return 1
`;

/** KEYS: lease, log. ARGV: token, lease ms, log ttl ms. Returns 0 when the lease is not ours. */
export const RENEW_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1
`;

/**
 * KEYS: lease, log. ARGV: token, entry type (d / a), stored ("1" / "0"),
 * log ttl ms, max log length. Ends the flight and frees the lease; returns 0
 * when the lease is not ours.
 */
export const FINISH_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], '*', 't', ARGV[2], 'k', ARGV[1], 's', ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
redis.call('DEL', KEYS[1])
return 1
`;
