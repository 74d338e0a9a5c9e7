/**
 * Redis keys of schedule and generator producers, beside lib/runtime/keys.ts
 * (same REDIS_PREFIX; kept here so the producer runtime is one folder).
 *
 * Generator keys share the hash tag `{gen}`: the Lua scripts in
 * ./generator-state.ts touch a generator's state, its lease and the set of
 * running generators atomically, which Redis Cluster allows only within one
 * slot. Generators are few and their traffic is a few commands per tick, so
 * one slot is no hot spot.
 */
export function producerKeys(prefix: string) {
  return {
    /**
     * BullMQ queue (under keys.bullPrefix) that every schedule producer's job
     * scheduler fills with ticks. `~` cannot occur in node ids, so the name
     * never collides with a queue node's `{pipelineId.nodeId}`.
     */
    ticksQueue: '{~producer-ticks}',
    /** string: a supervisor is reconciling job schedulers (value: its worker id), PX */
    schedulesLock: `${prefix}:producers:schedules-lock`,
    /** hash: a generator's progress (fields in ./generator-state.ts) */
    generator: (pipelineId: string, nodeId: string) => `${prefix}:{gen}:state:${pipelineId}.${nodeId}`,
    /** string: the lease of the worker driving a generator (value: its token), PX */
    generatorLease: (pipelineId: string, nodeId: string) => `${prefix}:{gen}:lease:${pipelineId}.${nodeId}`,
    /** set of `<pipelineId>/<nodeId>`: generators in state running, driven or waiting for a worker */
    generatorsRunning: `${prefix}:{gen}:running`,
    /** pub/sub channel: a generator was started or let go of by its worker (message: `<pipelineId>/<nodeId>`) */
    generatorsChannel: `${prefix}:generators`,
  };
}
export type ProducerKeys = ReturnType<typeof producerKeys>;

/** Job scheduler id of a schedule producer. Pipeline and node ids contain no '.' nor ':'. */
export const schedulerIdFor = (pipelineId: string, nodeId: string) => `${pipelineId}.${nodeId}`;

export const generatorMember = (pipelineId: string, nodeId: string) => `${pipelineId}/${nodeId}`;

export function parseGeneratorMember(member: string): { pipelineId: string; nodeId: string } | null {
  const slash = member.lastIndexOf('/');
  if (slash <= 0 || slash === member.length - 1) return null;
  return { pipelineId: member.slice(0, slash), nodeId: member.slice(slash + 1) };
}
