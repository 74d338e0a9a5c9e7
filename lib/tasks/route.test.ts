import { UnrecoverableError } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { createTaskResources } from './resources';
import { pickEdges, runRoute } from './route';
import type { TaskContext, TaskOf } from './types';

const resources = createTaskResources();
afterAll(() => resources.dispose());

const outputs = ['e-big', 'e-eu', 'e-rest'];
const ctx = (outs: readonly string[] = outputs): TaskContext => ({ runId: 'r', nodeId: 'router', attempt: 1, resources, outputs: outs });
const route = (rules: Array<[when: string, edgeId: string]>): TaskOf<'route'> => ({ kind: 'route', rules: rules.map(([when, edgeId]) => ({ when, edgeId })) });

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the task to fail');
}

describe('pickEdges', () => {
  const rules = route([
    ['a', 'e1'],
    ['b', 'e2'],
    ['c', 'e2'],
  ]).rules;
  const outs = ['e2', 'e1', 'else1', 'else2'];
  it('sends to every edge whose rule holds, each once, in edge order', () => {
    expect(pickEdges(rules, [true, true, true], outs)).toEqual(['e2', 'e1']);
    expect(pickEdges(rules, [false, false, true], outs)).toEqual(['e2']);
  });
  it('sends to the edges no rule names when no rule holds', () => {
    expect(pickEdges(rules, [false, false, false], outs)).toEqual(['else1', 'else2']);
  });
  it('sends nowhere when nothing holds and there is no default edge', () => {
    expect(pickEdges(rules, [false, false, false], ['e1', 'e2'])).toEqual([]);
  });
});

describe('route', () => {
  const task = route([
    ['msg.total > 100', 'e-big'],
    ['msg.region === "eu"', 'e-eu'],
  ]);

  it('passes the message on unchanged to the edges whose rules hold', async () => {
    expect(await runRoute(task, { total: 500, region: 'us' }, ctx())).toEqual({ output: { total: 500, region: 'us' }, edgeIds: ['e-big'] });
    expect((await runRoute(task, { total: 5, region: 'eu' }, ctx())).edgeIds).toEqual(['e-eu']);
  });

  it('fans out to each edge when several rules hold', async () => {
    expect((await runRoute(task, { total: 500, region: 'eu' }, ctx())).edgeIds).toEqual(['e-big', 'e-eu']);
  });

  it('an edge without a rule is the default branch: only when nothing else matched', async () => {
    expect((await runRoute(task, { total: 5, region: 'us' }, ctx())).edgeIds).toEqual(['e-rest']);
  });

  it('without a default edge, an unmatched message goes nowhere', async () => {
    expect((await runRoute(task, { total: 5, region: 'us' }, ctx(['e-big', 'e-eu']))).edgeIds).toEqual([]);
  });

  it('a route without rules sends everything everywhere', async () => {
    expect((await runRoute(route([]), 1, ctx())).edgeIds).toEqual(outputs);
  });

  it('compiles the rules once per consumer', async () => {
    const r = createTaskResources();
    try {
      const c = { ...ctx(), resources: r };
      for (let i = 0; i < 50; i++) await runRoute(task, { total: i * 10 }, c);
      expect(r.describe()).toEqual({ sandboxes: 1, compiled: 1 });
    } finally {
      r.dispose();
    }
  });

  it('a condition that throws fails the job retryably, naming its rule', async () => {
    const e = await failure(runRoute(route([['msg.total > 1', 'e-big'], ['msg.customer.tier === "gold"', 'e-eu']]), { total: 5 }, ctx()));
    expect(e).not.toBeInstanceOf(UnrecoverableError);
    expect(e.message).toMatch(/^route code threw condition 2: TypeError: .* \(the rule for edge e-eu\)$/);
  });

  it('a condition that does not compile fails unrecoverably, naming its rule', async () => {
    const e = await failure(runRoute(route([['msg.total >', 'e-big']]), { total: 5 }, ctx()));
    expect(e).toBeInstanceOf(UnrecoverableError);
    expect(e.message).toMatch(/^route code does not compile: (condition 1: )?SyntaxError: .*\(the rule for edge e-big\)$/);
  });

  it('a condition that closes its function early is refused', async () => {
    const e = await failure(runRoute(route([['true); }); (function () { return (1', 'e-big']]), {}, ctx()));
    expect(e).toBeInstanceOf(UnrecoverableError);
  });
});
