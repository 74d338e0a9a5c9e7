import { LuaScript } from '../lua';

/**
 * The atomic steps of a generator's life. Keys (./keys.ts, one slot):
 * the state hash, the lease string, the set of running generators.
 *
 * State hash fields:
 *   state       running | stopped | done (no hash: idle, never started)
 *   startId     random id of this start; a restart gets a new one, so a
 *               worker still finishing a batch of the previous start cannot
 *               count it into the new one
 *   sent        messages triggered so far (authoritative; workers resync to it)
 *   count, ratePerSec, startedAt (ms), finishedAt (ms), reason (why it stopped),
 *   worker      id of the worker that last took the lease (shown while it holds it)
 *
 * The lease (SET NX PX, value = the holder's token) says which worker
 * drives the generator; the holder renews it with every COMMIT, and a worker
 * whose lease lapsed cannot commit as holder.
 */

/** KEYS: state, lease, running. ARGV: member, startId, count, ratePerSec, now. Returns 1 started, 0 already running. */
export const GEN_START = new LuaScript(
  `
if redis.call('HGET', KEYS[1], 'state') == 'running' then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('HSET', KEYS[1], 'state', 'running', 'startId', ARGV[2], 'sent', 0, 'count', ARGV[3], 'ratePerSec', ARGV[4], 'startedAt', ARGV[5])
redis.call('SADD', KEYS[3], ARGV[1])
return 1
`,
  3,
);

/** KEYS: state, lease, running. ARGV: member, now, reason, retentionSec. Returns 1 stopped, 0 was not running. */
export const GEN_STOP = new LuaScript(
  `
if redis.call('HGET', KEYS[1], 'state') ~= 'running' then
  redis.call('SREM', KEYS[3], ARGV[1])
  return 0
end
redis.call('HSET', KEYS[1], 'state', 'stopped', 'finishedAt', ARGV[2], 'reason', ARGV[3])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
redis.call('DEL', KEYS[2])
redis.call('SREM', KEYS[3], ARGV[1])
return 1
`,
  3,
);

/**
 * KEYS: state, lease, running. ARGV: member, token, ttlMs, workerId.
 * Returns {'ok', startId, sent, count, ratePerSec} when this worker now holds
 * the lease, {'held'} when another does, {'idle'} when the generator is not
 * running (and drops it from the running set).
 */
export const GEN_ACQUIRE = new LuaScript(
  `
local h = redis.call('HMGET', KEYS[1], 'state', 'startId', 'sent', 'count', 'ratePerSec')
if h[1] ~= 'running' then
  redis.call('SREM', KEYS[3], ARGV[1])
  return {'idle'}
end
if not redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', tonumber(ARGV[3])) then return {'held'} end
redis.call('HSET', KEYS[1], 'worker', ARGV[4])
return {'ok', h[2], h[3], h[4], h[5]}
`,
  3,
);

/**
 * Counts `n` messages just triggered (n may be 0: then it only renews) and
 * renews the lease. KEYS: state, lease, running.
 * ARGV: member, token, startId, n, now, ttlMs, retentionSec.
 * Returns {outcome, sent}: outcome running (keep going), done (count
 * reached), stopped (someone stopped it), gone (restarted or deleted: the
 * n were not counted), lost (another worker holds the lease now).
 */
export const GEN_COMMIT = new LuaScript(
  `
local h = redis.call('HMGET', KEYS[1], 'startId', 'state', 'count')
if h[1] ~= ARGV[3] then
  if redis.call('GET', KEYS[2]) == ARGV[2] then redis.call('DEL', KEYS[2]) end
  return {'gone', '0'}
end
local sent = redis.call('HINCRBY', KEYS[1], 'sent', tonumber(ARGV[4]))
local state = h[2]
if state == 'running' and sent >= tonumber(h[3]) then
  state = 'done'
  redis.call('HSET', KEYS[1], 'state', 'done', 'finishedAt', ARGV[5])
  redis.call('EXPIRE', KEYS[1], tonumber(ARGV[7]))
  redis.call('SREM', KEYS[3], ARGV[1])
end
local holder = redis.call('GET', KEYS[2])
if state ~= 'running' then
  if holder == ARGV[2] then redis.call('DEL', KEYS[2]) end
  return {state, tostring(sent)}
end
if holder == ARGV[2] then
  redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[6]))
  return {'running', tostring(sent)}
end
if holder == false then
  -- Our lease lapsed (a long stall) and nobody took it: take it back.
  redis.call('SET', KEYS[2], ARGV[2], 'PX', tonumber(ARGV[6]))
  return {'running', tostring(sent)}
end
return {'lost', tostring(sent)}
`,
  3,
);

/** KEYS: a lease or lock. ARGV: token. Deletes it if the caller (token) holds it. */
export const RELEASE_IF_HELD = new LuaScript(
  `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`,
  1,
);
