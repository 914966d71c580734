-- Releases a load lease, only if the caller still holds it (never another holder's).
--
-- KEYS[1]  the lease key
-- ARGV[1]  the holder's token
-- returns  1 when released, 0 when the lease is gone or another holder's
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
