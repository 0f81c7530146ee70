import { createHash } from "node:crypto";

/**
 * `gcra.ts` in Lua, so that a budget shared by many processes is read,
 * decided and written in one atomic step on the Redis server, with the
 * server's clock. KEYS: the requests TAT and the tokens TAT (one hash tag,
 * one slot). ARGV: op, its argument (`take`: max wait; `floor`: ms from now),
 * then period, limit and units for each dimension (limit 0: not limited).
 * Returns { granted (0/1), wait in ms as a string }.
 *
 * A TAT key expires when it no longer holds anything (its TAT has passed),
 * so idle budgets cost Redis nothing.
 */
export const GCRA_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local op = ARGV[1]
local arg = tonumber(ARGV[2])
local tats = {}
local updates = {}
local wait = 0
for i = 1, 2 do
  local period = tonumber(ARGV[3 * i])
  local limit = tonumber(ARGV[3 * i + 1])
  local units = tonumber(ARGV[3 * i + 2])
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0')
  if limit > 0 then
    local emission = period / limit
    if op == 'take' then
      if units > 0 then
        local new = math.max(tat, now) + units * emission
        wait = math.max(wait, new - period - now)
        updates[i] = new
      end
    elseif op == 'adjust' then
      if units ~= 0 then updates[i] = tat + units * emission end
    else
      local floor = now + arg + period - units * emission
      if floor > tat then updates[i] = floor end
    end
  end
end
if op == 'take' and wait > arg then
  return { 0, string.format('%.3f', wait) }
end
for i = 1, 2 do
  local new = updates[i]
  if new then
    local ttl = math.ceil(new - now)
    if ttl > 0 then
      redis.call('SET', KEYS[i], string.format('%.3f', new), 'PX', ttl)
    else
      redis.call('DEL', KEYS[i])
    end
  end
end
return { 1, string.format('%.3f', math.max(wait, 0)) }
`;

export const GCRA_SCRIPT_SHA = createHash("sha1").update(GCRA_SCRIPT).digest("hex");
