import { createRedis, type Redis } from '../redis';
import { log } from '../log';

/**
 * One subscriber connection per runtime context, shared by every listener in
 * the process (run waiters, the deploy watcher), instead of a connection per
 * request. Opened on first use. ioredis re-subscribes after a reconnect.
 *
 * Channels stay subscribed once used: Conveyor listens on a handful of fixed
 * channels, so tracking unsubscribes is not worth its races.
 */
export type MessageHandler = (message: string) => void;

export class SharedSubscriber {
  private conn: Redis | undefined;
  private readonly handlers = new Map<string, Set<MessageHandler>>();
  private readonly subscribed = new Map<string, Promise<unknown>>();

  constructor(private readonly redisUrl: string) {}

  /** Resolves once Redis confirmed the subscription; returns the function that removes the handler. */
  async subscribe(channel: string, handler: MessageHandler): Promise<() => void> {
    let set = this.handlers.get(channel);
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(handler);
    const remove = () => void set.delete(handler);
    let pending = this.subscribed.get(channel);
    if (!pending) {
      pending = this.connection().subscribe(channel);
      this.subscribed.set(channel, pending);
      pending.catch(() => this.subscribed.delete(channel));
    }
    try {
      await pending;
    } catch (e) {
      remove();
      throw e;
    }
    return remove;
  }

  private connection(): Redis {
    if (this.conn) return this.conn;
    const conn = createRedis(this.redisUrl, 'blocking', { connectionName: 'conveyor-subscriber' });
    conn.on('error', (err) => log.warn('subscriber connection error', { error: err.message }));
    conn.on('message', (channel: string, message: string) => {
      for (const h of this.handlers.get(channel) ?? []) {
        try {
          h(message);
        } catch (e) {
          log.error('pub/sub handler threw', { channel, error: (e as Error).message });
        }
      }
    });
    this.conn = conn;
    return conn;
  }

  async close(): Promise<void> {
    this.handlers.clear();
    this.subscribed.clear();
    const conn = this.conn;
    this.conn = undefined;
    if (conn) await conn.quit().catch(() => conn.disconnect());
  }
}
