-- Raises a tag's invalidation timestamp, never lowering it, and keeps the key long enough for
-- every entry the timestamp can hide.
--
-- KEYS[1]  the tag key
-- ARGV[1]  the stamp: microseconds since the epoch, decimal (exact in Lua's doubles until 2255)
-- ARGV[2]  how long to keep the key after this raise, in milliseconds; "0" for ever
-- returns  the stamp stored now (>= ARGV[1])
--
-- The key's time to live is never shortened: a longer one left by another raise (or none, from an
-- instance whose entries can live for ever) stays.
local current = redis.call('GET', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
local stored = ARGV[1]
if current and tonumber(current) >= tonumber(ARGV[1]) then
  stored = current
else
  redis.call('SET', KEYS[1], ARGV[1])
end
local keep = tonumber(ARGV[2])
if keep == 0 or ttl == -1 then
  redis.call('PERSIST', KEYS[1])
else
  if ttl > keep then keep = ttl end
  redis.call('PEXPIRE', KEYS[1], keep)
end
return tonumber(stored)
