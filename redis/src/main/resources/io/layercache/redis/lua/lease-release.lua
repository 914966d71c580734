-- Releases a load lease, only if the caller still holds it (never another holder's).
--
-- KEYS[1]  the lease key
-- ARGV[1]  the holder's token
-- ARGV[2]  optional: milliseconds to leave the mark "!found-nothing" instead of deleting, so
--          the instances waiting for this load learn it found nothing
-- returns  1 when released, 0 when the lease is gone or another holder's
if redis.call('GET', KEYS[1]) == ARGV[1] then
  if ARGV[2] then
    redis.call('SET', KEYS[1], '!found-nothing', 'PX', ARGV[2])
  else
    redis.call('DEL', KEYS[1])
  end
  return 1
end
return 0
