-- Extends a load lease, only if the caller still holds it.
--
-- KEYS[1]  the lease key
-- ARGV[1]  the holder's token
-- ARGV[2]  the lease time in milliseconds
-- returns  1 when extended, 0 when the lease is gone or another holder's
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
