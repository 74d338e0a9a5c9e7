import { LuaScript } from './lua';

/**
 * The atomic updates of a run record (hash keys.run(runId)). Fields:
 *
 *   pipelineId, version, producerId, createdAt (ms), status, pending
 *   finishedAt (ms)          when the run completed or failed
 *   output                   JSON of the last result that reached a sink (a consumer with no output queue)
 *   step|<jobId>             JSON { nodeId, status, attempts, startedAt, finishedAt?, error? }
 *   done|<jobId>             marks that the job's end was counted (value: completed|failed)
 *
 * `pending` counts jobs of the run not finished yet: set to the producer's
 * queue count at trigger, += (results enqueued - 1) when a job completes,
 * -= 1 when one fails for good. It reaches 0 exactly when the last job of
 * every branch finished; the done| marker makes each job count once even
 * when BullMQ delivers it again (at-least-once). The run's status is failed
 * as soon as one job fails for good (other branches still run to their end),
 * else completed when pending reaches 0. Either way the run id is published
 * on keys.runDoneChannel, once.
 *
 * Hand-over to the SQL run history: in the same atomic step that finishes a
 * run, its id is added to the stream keys.runsFinished, which the app's
 * flusher (lib/runs/) drains in batches. A job of a failed run that ends
 * later (other branches run on) adds the id again, so the stored row is
 * refreshed with the final steps. The stream is capped (approximately) at
 * HANDOVER_MAX_LEN entries, so Redis memory stays bounded when no app drains
 * it; past the cap the oldest runs miss their history, never the queues.
 * Redis Cluster: JOB_FINISHED now touches two keys (the run hash and the
 * stream) in different slots, which a Cluster refuses (CROSSSLOT). Conveyor
 * has no Cluster client yet; the way there is to shard both by a hash tag
 * (run:{rN}:<id> and runs:finished:{rN}, N from the run id) and have the
 * flusher read every shard's stream.
 *
 * Records whose key has expired are left alone (EXISTS check): a script
 * never recreates a record without its TTL.
 */

/** KEYS: run. ARGV: jobId, nodeId, now, attempts. */
export const JOB_STARTED = new LuaScript(
  `
local run = KEYS[1]
if redis.call('EXISTS', run) == 0 then return 0 end
if redis.call('HGET', run, 'status') == 'queued' then
  redis.call('HSET', run, 'status', 'running')
end
local f = 'step|' .. ARGV[1]
local raw = redis.call('HGET', run, f)
local step
if raw then step = cjson.decode(raw) else step = { nodeId = ARGV[2], startedAt = tonumber(ARGV[3]) } end
step.status = 'running'
step.attempts = tonumber(ARGV[4])
redis.call('HSET', run, f, cjson.encode(step))
return 1
`,
  1,
);

/**
 * KEYS: run, finished-runs stream.
 * ARGV: jobId, nodeId, now, outcome (completed|failed|retrying), results enqueued,
 *       output JSON ('' for none), error ('' for none), runId, attempts, run-done channel,
 *       stream cap.
 * (The channel is an ARGV, not a KEY: it is no key. The stream is a KEY, see
 * the note on Redis Cluster above.)
 * Returns 0 (no record), 1 (counted), 2 (this job's end was already counted).
 */
export const JOB_FINISHED = new LuaScript(
  `
local run = KEYS[1]
if redis.call('EXISTS', run) == 0 then return 0 end
local now = tonumber(ARGV[3])
local outcome = ARGV[4]
local f = 'step|' .. ARGV[1]
local raw = redis.call('HGET', run, f)
local step
if raw then step = cjson.decode(raw) else step = { nodeId = ARGV[2], startedAt = now } end
step.attempts = tonumber(ARGV[9])
if ARGV[7] ~= '' then step.error = ARGV[7] else step.error = nil end
if outcome == 'retrying' then
  step.status = 'retrying'
  redis.call('HSET', run, f, cjson.encode(step))
  return 1
end
step.status = outcome
step.finishedAt = now
redis.call('HSET', run, f, cjson.encode(step))

local status = redis.call('HGET', run, 'status')
local function handOver()
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[11], '*', 'run', ARGV[8])
end
local function finish(st)
  redis.call('HSET', run, 'status', st, 'finishedAt', now)
  redis.call('PUBLISH', ARGV[10], ARGV[8])
  handOver()
end
local unfinished = status ~= 'failed' and status ~= 'completed'

if redis.call('HSETNX', run, 'done|' .. ARGV[1], outcome) == 0 then
  -- Delivered again after its end was counted: do not count it twice, but a
  -- failure now still fails a run that is not finished.
  if outcome == 'failed' and unfinished then finish('failed') end
  return 2
end
local pending = redis.call('HINCRBY', run, 'pending', tonumber(ARGV[5]) - 1)
if ARGV[6] ~= '' then redis.call('HSET', run, 'output', ARGV[6]) end
if unfinished then
  if outcome == 'failed' then finish('failed')
  elseif pending <= 0 then finish('completed') end
else
  -- A branch of an already finished (failed) run ended: refresh its history row.
  handOver()
end
return 1
`,
  2,
);

/** Entries keys.runsFinished keeps at most (approximately) while nobody drains it. */
export const HANDOVER_MAX_LEN = 1_000_000;
