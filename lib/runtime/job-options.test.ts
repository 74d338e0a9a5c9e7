import { describe, expect, it } from 'vitest';
import type { CompiledQueue } from '../pipeline/compile';
import { canonicalJson, DEFAULT_KEEP_COMPLETED, DEFAULT_KEEP_FAILED, jobOptionsFor, payloadHash } from './job-options';

const queue = (options: CompiledQueue['options']): CompiledQueue => ({ id: 'q', label: 'q', queueName: '{p.q}', options, consumers: [] });

describe('jobOptionsFor', () => {
  it('defaults to one attempt and bounded retention', () => {
    expect(jobOptionsFor(queue({}))).toEqual({
      attempts: 1,
      removeOnComplete: { count: DEFAULT_KEEP_COMPLETED },
      removeOnFail: { count: DEFAULT_KEEP_FAILED },
    });
  });

  it('maps attempts, backoff with jitter, priority, delay and retention (0 keeps none)', () => {
    const o = jobOptionsFor(
      queue({
        attempts: 5,
        backoff: { type: 'exponential', delayMs: 200, jitter: 0.3 },
        priority: 7,
        delayMs: 1500,
        retention: { completed: 0, failed: 10 },
      }),
    );
    expect(o).toEqual({
      attempts: 5,
      backoff: { type: 'exponential', delay: 200, jitter: 0.3 },
      priority: 7,
      delay: 1500,
      removeOnComplete: true,
      removeOnFail: { count: 10 },
    });
  });

  it('deduplicates messages by payload content, with the ttl when given, and only for messages', () => {
    const q = queue({ dedupe: { ttlMs: 5000 } });
    expect(jobOptionsFor(q).deduplication).toBeUndefined(); // dead letters, replays
    const a = jobOptionsFor(q, { payload: { a: 1, b: [1, { c: 2, d: 3 }] } }).deduplication;
    const b = jobOptionsFor(q, { payload: { b: [1, { d: 3, c: 2 }], a: 1 } }).deduplication;
    expect(a).toEqual({ id: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), ttl: 5000 });
    expect(b).toEqual(a);
    expect(jobOptionsFor(q, { payload: { a: 2 } }).deduplication!.id).not.toBe(a!.id);
    expect(jobOptionsFor(queue({ dedupe: {} }), { payload: 1 }).deduplication).toEqual({ id: payloadHash(1) });
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth, keeps array order, reads undefined as null', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 2], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,2]},"b":1}');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson([undefined, null])).toBe('[null,null]');
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
    expect(canonicalJson('s')).toBe('"s"');
    expect(payloadHash(undefined)).toBe(payloadHash(null));
  });
});
