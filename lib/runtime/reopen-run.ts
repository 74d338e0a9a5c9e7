import type { RuntimeContext } from './context';
import { LuaScript } from './lua';

/**
 * Reopening a run when an operator sends a failed message round again
 * (retry of a failed job, replay of a dead letter). It works on the run
 * record kept by ./run-scripts.ts (same fields, same rules) and is the only
 * other writer of it:
 *
 * - `retry <jobId>`: the job runs again under the same id. Its end marker
 *   (done|<jobId>) is removed so its next end is counted, it is pending
 *   again (+1 if its end had been counted), and its step shows `retrying`.
 * - `supersede <jobId>`: a job's failure no longer stands (the message was
 *   replayed under a new job id): done|<jobId> = failed becomes `replayed`.
 * - `pendingDelta`: other changes to the jobs in flight (a dead letter
 *   withdrawn from its queue before it was processed: -1; a replayed job
 *   added: +1).
 *
 * Then, if the run is failed and no job's failure stands any more, it is
 * running again (finishedAt removed); it completes or fails anew, through
 * the usual script, which announces it and hands it to the run history once
 * more. `marker` (a field name) makes one operation count once however many
 * times it is sent: a repeat returns 2 and changes nothing.
 */
const REOPEN = new LuaScript(
  `
local run = KEYS[1]
if redis.call('EXISTS', run) == 0 then return 0 end
if ARGV[1] ~= '' and redis.call('HSETNX', run, ARGV[1], ARGV[2]) == 0 then return 2 end
local delta = tonumber(ARGV[3])
for i = 4, #ARGV, 2 do
  local op, id = ARGV[i], ARGV[i + 1]
  local doneField = 'done|' .. id
  local done = redis.call('HGET', run, doneField)
  if op == 'retry' then
    if done then
      redis.call('HDEL', run, doneField)
      delta = delta + 1
    end
    local raw = redis.call('HGET', run, 'step|' .. id)
    if raw then
      local step = cjson.decode(raw)
      step.status = 'retrying'
      step.finishedAt = nil
      redis.call('HSET', run, 'step|' .. id, cjson.encode(step))
    end
  elseif op == 'supersede' and done == 'failed' then
    redis.call('HSET', run, doneField, 'replayed')
  end
end
if delta ~= 0 then redis.call('HINCRBY', run, 'pending', delta) end
if redis.call('HGET', run, 'status') == 'failed' then
  local fields = redis.call('HGETALL', run)
  for i = 1, #fields, 2 do
    if fields[i + 1] == 'failed' and string.sub(fields[i], 1, 5) == 'done|' then return 1 end
  end
  redis.call('HSET', run, 'status', 'running')
  redis.call('HDEL', run, 'finishedAt')
end
return 1
`,
  1,
);

export interface ReopenOptions {
  /** Field that marks this operation as done, so a repeat is a no-op ('' or omitted: none). */
  marker?: string;
  retry?: string[];
  supersede?: string[];
  pendingDelta?: number;
}

/** 0 = no such run (expired), 1 = applied, 2 = this marker was applied before. */
export async function reopenRun(ctx: RuntimeContext, runId: string, o: ReopenOptions, now = Date.now()): Promise<number> {
  const ops: string[] = [];
  for (const id of o.retry ?? []) ops.push('retry', id);
  for (const id of o.supersede ?? []) ops.push('supersede', id);
  const result = await REOPEN.run(ctx.redis, [ctx.keys.run(runId)], [o.marker ?? '', now, o.pendingDelta ?? 0, ...ops]);
  return Number(result);
}
