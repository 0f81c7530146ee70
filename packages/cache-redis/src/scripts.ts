/**
 * Lua scripts, so that an entry, its tag list and the tag sets change
 * together in one round trip. Key layout under the namespace `ns` (its keys
 * start with the hash tag `{ns}:`, one Cluster slot):
 *   `{ns}:e:<key>`  the entry (a plain string; reads check its STRLEN before a GET)
 *   `{ns}:m:<key>`  the entry's tags (a set; only for tagged entries)
 *   `{ns}:t:<tag>`  the entries carrying a tag (a set of `{ns}:e:` keys)
 * Tag keys are derived inside the scripts; they are in the same slot as the
 * key each script is given (KEYS[1]), which is what routes it on a Cluster.
 */

/** KEYS: entry, meta. ARGV: value, ttl ms or "", tag-key prefix, tags… */
export const SET_SCRIPT = `
local entry, meta = KEYS[1], KEYS[2]
local ttl = tonumber(ARGV[2])
local prefix = ARGV[3]
for _, old in ipairs(redis.call('SMEMBERS', meta)) do
  redis.call('SREM', prefix .. old, entry)
end
redis.call('DEL', meta)
if ttl then
  redis.call('SET', entry, ARGV[1], 'PX', ttl)
else
  redis.call('SET', entry, ARGV[1])
end
for i = 4, #ARGV do
  local tagKey = prefix .. ARGV[i]
  local fresh = redis.call('EXISTS', tagKey) == 0
  redis.call('SADD', tagKey, entry)
  redis.call('SADD', meta, ARGV[i])
  -- A tag set lives as long as its longest-lived entry.
  if not ttl then
    redis.call('PERSIST', tagKey)
  elseif fresh then
    redis.call('PEXPIRE', tagKey, ttl)
  else
    redis.call('PEXPIRE', tagKey, ttl, 'GT')
  end
end
if ttl and #ARGV >= 4 then
  redis.call('PEXPIRE', meta, ttl)
end
return 1
`;

/** KEYS: one key of the namespace (routing). ARGV: key prefix ("{ns}:"), logical keys…  Returns the number of entries that existed. */
export const DELETE_SCRIPT = `
local ns = ARGV[1]
local count = 0
for i = 2, #ARGV do
  local entry, meta = ns .. 'e:' .. ARGV[i], ns .. 'm:' .. ARGV[i]
  for _, tag in ipairs(redis.call('SMEMBERS', meta)) do
    redis.call('SREM', ns .. 't:' .. tag, entry)
  end
  redis.call('DEL', meta)
  count = count + redis.call('DEL', entry)
end
return count
`;

/** KEYS: the tag set (routing). ARGV: key prefix ("{ns}:"), tag.  Returns the number of entries deleted. */
export const DELETE_TAG_SCRIPT = `
local ns = ARGV[1]
local tagKey = ns .. 't:' .. ARGV[2]
local count = 0
local skip = #ns + 3
for _, entry in ipairs(redis.call('SMEMBERS', tagKey)) do
  local meta = ns .. 'm:' .. string.sub(entry, skip)
  for _, tag in ipairs(redis.call('SMEMBERS', meta)) do
    redis.call('SREM', ns .. 't:' .. tag, entry)
  end
  redis.call('DEL', meta)
  count = count + redis.call('DEL', entry)
end
redis.call('DEL', tagKey)
return count
`;

/**
 * KEYS: entries. ARGV: the largest value returned, in bytes. One reply per key: its value,
 * nil when missing, or its size (a number) when over the bound — so a value of any size
 * written to Redis by anyone costs this process at most the bound to read (a plain GET
 * would receive all of it, up to Redis's 512 MB).
 */
export const GET_WITHIN_SCRIPT = `
local max = tonumber(ARGV[1])
local out = {}
for i, key in ipairs(KEYS) do
  local size = redis.call('STRLEN', key)
  if size > max then out[i] = size else out[i] = redis.call('GET', key) end
end
return out
`;
