import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A Lua script run by SHA (EVALSHA), loaded on first NOSCRIPT. Redis runs a
 * script atomically, which is how run records stay consistent when several
 * workers finish jobs of one run at the same moment.
 */
export class LuaScript {
  readonly sha: string;

  constructor(
    readonly source: string,
    readonly numKeys: number,
  ) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
    if (keys.length !== this.numKeys) throw new Error(`script expects ${this.numKeys} keys, got ${keys.length}`);
    try {
      return await redis.evalsha(this.sha, this.numKeys, ...keys, ...args);
    } catch (e) {
      if (!String((e as Error).message).includes('NOSCRIPT')) throw e;
      return redis.eval(this.source, this.numKeys, ...keys, ...args);
    }
  }
}
