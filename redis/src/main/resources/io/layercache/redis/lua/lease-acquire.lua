-- Takes the load lease of one key unless another holder has it, and issues its fencing token.
--
-- KEYS[1]  the lease key
-- KEYS[2]  the fence key: the newest token issued for the entry (same hash tag as the entry)
-- ARGV[1]  the holder's random token
-- ARGV[2]  the lease time in milliseconds
-- KEYS[3]  optional: the entry key, to tell the holder whether an entry is stored (same hash tag)
-- ARGV[3]  how long the fence key is kept, in milliseconds
-- returns  the fencing token when taken: positive when KEYS[3] is absent (or not given), negated
--          when KEYS[3] exists (the holder reads it before loading); 0 when another holder has it
--
-- The token is the server's clock in microseconds, or one more than the last token when that is
-- larger: strictly increasing per key, and still increasing after the fence key expired.
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return 0
end
local time = redis.call('TIME')
local token = tonumber(time[1]) * 1000000 + tonumber(time[2])
local last = tonumber(redis.call('GET', KEYS[2]) or '0')
if last >= token then token = last + 1 end
redis.call('SET', KEYS[2], string.format('%.0f', token), 'PX', ARGV[3])
if KEYS[3] and redis.call('EXISTS', KEYS[3]) == 1 then return -token end
return token
