-- Reads an entry and, only when none is stored, takes the key's load lease and issues its
-- fencing token: a miss that is going to load costs one round trip instead of two (the read,
-- then lease-acquire.lua).
--
-- KEYS[1]  the entry key
-- KEYS[2]  the lease key (same hash tag as the entry)
-- KEYS[3]  the fence key: the newest token issued for the entry (same hash tag)
-- KEYS[4]  the waiters mark (same hash tag): set for the lease time when another holder has the
--          lease, so that the holder's store announces the value with the release
--          (compare-and-set.lua)
-- ARGV[1]  the holder's random token
-- ARGV[2]  the lease time in milliseconds
-- ARGV[3]  how long the fence key is kept, in milliseconds
-- returns  {1, entry bytes} when an entry is stored (no lease taken); {2, fencing token} when
--          nothing was stored and the lease is now the caller's; {0, fencing token of the holder}
--          when another holder has it (0 when unknown): a release notice carrying a value is
--          taken only when it names that token
--
-- The token is made as in lease-acquire.lua: the server's clock in microseconds, or one more than
-- the last token when that is larger.
local value = redis.call('GET', KEYS[1])
if value then
  return {1, value}
end
if not redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
  redis.call('SET', KEYS[4], '1', 'PX', ARGV[2])
  return {0, tonumber(redis.call('GET', KEYS[3]) or '0')}
end
local time = redis.call('TIME')
local token = tonumber(time[1]) * 1000000 + tonumber(time[2])
local last = tonumber(redis.call('GET', KEYS[3]) or '0')
if last >= token then token = last + 1 end
redis.call('SET', KEYS[3], string.format('%.0f', token), 'PX', ARGV[3])
return {2, token}
