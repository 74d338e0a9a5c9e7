/**
 * Keeps a generator on its rate without drift: each tick sends however many
 * messages should have gone out by now (message k after the base goes out at
 * base + (k-1)/rate), not a fixed number per tick, so late timers and slow
 * batches are made up on the next tick.
 *
 * Making up has a limit: after a stall longer than `maxLagMs` (back-pressure,
 * a Redis outage, a takeover) the backlog is dropped and the rate resumes from
 * now, instead of a burst that would distort the very experiment the
 * generator is for.
 */
export class Pacer {
  private baseAt = 0;
  private baseSent = 0;

  constructor(
    private readonly ratePerSec: number,
    private readonly count: number,
    private readonly maxLagMs = 1000,
  ) {}

  /** Counts time from `now`, with `sent` already out. */
  rebase(now: number, sent: number): void {
    this.baseAt = now;
    this.baseSent = sent;
  }

  /** How many to send now, given `sent` so far; never past `count`. */
  due(now: number, sent: number): number {
    const elapsed = Math.max(0, now - this.baseAt);
    let target = this.baseSent + 1 + Math.floor((elapsed * this.ratePerSec) / 1000);
    const maxBurst = Math.max(1, Math.ceil((this.ratePerSec * this.maxLagMs) / 1000));
    if (target - sent > maxBurst) {
      target = sent + maxBurst;
      this.rebase(now, target - 1);
    }
    return Math.max(0, Math.min(target, this.count) - sent);
  }
}
