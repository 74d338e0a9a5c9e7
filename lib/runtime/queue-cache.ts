import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { log } from '../log';
import type { JobData } from './job-data';

/**
 * One BullMQ Queue object per queue name for the life of the process (never
 * one per request), all sharing the caller's Redis connection: BullMQ treats
 * a passed-in ioredis instance as shared and leaves it open on close().
 */
export class QueueCache {
  private readonly queues = new Map<string, Queue<JobData>>();
  private closed = false;

  constructor(
    private readonly connection: Redis,
    /** keys.bullPrefix */
    private readonly prefix: string,
  ) {}

  get(queueName: string): Queue<JobData> {
    if (this.closed) throw new Error('QueueCache is closed');
    let queue = this.queues.get(queueName);
    if (!queue) {
      queue = new Queue<JobData>(queueName, { connection: this.connection, prefix: this.prefix });
      queue.on('error', (err) => log.error('queue error', { queue: queueName, error: err.message }));
      this.queues.set(queueName, queue);
    }
    return queue;
  }

  get size(): number {
    return this.queues.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.queues.values()];
    this.queues.clear();
    await Promise.allSettled(all.map((q) => q.close()));
  }
}
