-- Compare-and-set of one entry: replaces (or deletes) the entry only if it is still the version
-- the caller read. The version is the SHA-1 of the stored bytes, computed here with redis.sha1hex
-- so the caller sends 40 bytes instead of the whole old value.
--
-- KEYS[1]  the entry key
-- KEYS[2]  optional (ARGV[7] = "1"): the name key of an entry stored under a digest of its Java
--          key; written and deleted together with the entry
-- KEYS[n-2] optional (ARGV[6] not ""): the key's fence (see lease-acquire.lua)
-- KEYS[n-1] optional (ARGV[6] not ""): the key's load lease
-- KEYS[n]  optional (ARGV[6] not ""), last: the key's waiters mark (see read-or-lease.lua)
--          All keys share the entry's hash tag, so the same Cluster slot.
-- ARGV[1]  expected version: SHA-1 hex of the bytes read, "" when the caller read no entry, or
--          "*" to write whatever is there
-- ARGV[2]  "set" or "del"
-- ARGV[3]  new bytes (with "set")
-- ARGV[4]  time to live in milliseconds, "0" for none (with "set")
-- ARGV[5]  the encoded Java key, stored under the name key (with "set")
-- ARGV[6]  the fencing token of the lease the value was loaded under, "" for an unfenced write
-- ARGV[7]  "1" when KEYS[2] is a name key
-- ARGV[8]  with ARGV[6]: the lease-release channel. A fenced write is the end of its load, so it
--          also releases the load's lease (see lease-release.lua) when the fence shows that no
--          lease was granted after it: the instances waiting for the load are told in the same
--          round trip that stored the value, not one more after it
-- ARGV[9]  with ARGV[8]: the signed header of a notice that carries the value (ARGV[3]), or "";
--          published instead of the bare lease key when the waiters mark says that other
--          instances wait for this load, so they need not read the value
-- returns  1 when applied, 2 when applied and the lease released, 0 when the entry changed since
--          it was read, -1 when a newer lease than ARGV[6] was granted (the fenced write is refused)
local nameKey = nil
if ARGV[7] == '1' then nameKey = KEYS[2] end
local fence = nil
if ARGV[6] ~= '' then
  fence = redis.call('GET', KEYS[#KEYS - 2])
  if fence and tonumber(fence) > tonumber(ARGV[6]) then return -1 end
end
if ARGV[1] ~= '*' then
  local current = redis.call('GET', KEYS[1])
  if ARGV[1] == '' then
    if current then return 0 end
  else
    if not current or redis.sha1hex(current) ~= ARGV[1] then return 0 end
  end
end
if ARGV[2] == 'del' then
  redis.call('DEL', KEYS[1])
  if nameKey then redis.call('DEL', nameKey) end
elseif ARGV[4] == '0' then
  redis.call('SET', KEYS[1], ARGV[3])
  if nameKey then redis.call('SET', nameKey, ARGV[5]) end
else
  redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
  if nameKey then redis.call('SET', nameKey, ARGV[5], 'PX', ARGV[4]) end
end
-- Every grant raises the fence, so a fence still equal to ARGV[6] means the lease key, if any, is
-- this load's own (held or expired), never a later holder's.
if fence and tonumber(fence) == tonumber(ARGV[6]) then
  redis.call('DEL', KEYS[#KEYS - 1])
  local notice = KEYS[#KEYS - 1]
  if redis.call('DEL', KEYS[#KEYS]) == 1 and ARGV[9] ~= '' then notice = ARGV[9] .. ARGV[3] end
  redis.pcall('PUBLISH', ARGV[8], notice)
  return 2
end
return 1
