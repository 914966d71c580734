-- Releases a load lease, only if the caller still holds it (never another holder's), and says so
-- on the lease-release channel, so the instances waiting for this load stop waiting at once.
--
-- KEYS[1]  the lease key
-- ARGV[1]  the holder's token
-- ARGV[2]  the channel on which the lease key is published once released (best effort: a user
--          whose ACL denies it still releases; the waiters then find the release by polling)
-- ARGV[3]  optional: milliseconds to leave the mark "!found-nothing" instead of deleting, so
--          the instances waiting for this load learn it found nothing
-- returns  1 when released, 0 when the lease is gone or another holder's
if redis.call('GET', KEYS[1]) == ARGV[1] then
  if ARGV[3] then
    redis.call('SET', KEYS[1], '!found-nothing', 'PX', ARGV[3])
  else
    redis.call('DEL', KEYS[1])
  end
  redis.pcall('PUBLISH', ARGV[2], KEYS[1])
  return 1
end
return 0
