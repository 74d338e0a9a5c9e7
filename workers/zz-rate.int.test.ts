import { it } from 'vitest';
import { compileGraph } from '../lib/pipeline/compile';
import { createRuntimeContext } from '../lib/runtime/context';
import { publishSpec } from '../lib/runtime/deploy';
import { startGenerator } from '../lib/runtime/producers/control';
import { readGeneratorStatus } from '../lib/runtime/producers/generator-state';
import { deletePrefix, eventually, queueNode, testPrefix, testRedisUrl } from '../lib/runtime/testing';
import { WorkerSupervisor } from './supervisor';
it('rates', async () => {
  const url = testRedisUrl(); const prefix = testPrefix();
  const app = createRuntimeContext(url, prefix, { statsWindowSec: 300, runRetentionHours: 1 });
  const sup = new WorkerSupervisor({ redisUrl: url, prefix, workerId: 'w', statsWindowSec: 300, runRetentionHours: 1, producers: { generators: { tickMs: Number(process.env.TICK ?? 50) } } });
  await sup.start();
  for (const [i, rate] of [1000, 5000, 10000, 15000, 25000].entries()) {
    const pid = `prate${i}`;
    const count = rate * 3;
    const spec = compileGraph({ nodes: [{ id: 'g', type: 'producer', position: { x: 0, y: 0 }, data: { label: 'g', source: { kind: 'generator', ratePerSec: rate, count } } }, queueNode('q')], edges: [{ id: 'e', source: 'g', target: 'q' }] }, pid, 1);
    await publishSpec(app, spec);
    await startGenerator(app, pid, 'g');
    const s = await eventually('done', async () => { const s = await readGeneratorStatus(app, pid, { nodeId: 'g', count, ratePerSec: rate }); return s.state === 'done' ? s : null; }, 60000, 20);
    const ms = Date.parse(s.finishedAt!) - Date.parse(s.startedAt!);
    console.log(`asked ${rate}/s for ${count}: ${ms} ms = ${Math.round(count / ms * 1000)}/s`);
  }
  await sup.stop(); await app.close(); await deletePrefix(url, prefix);
}, 120000);
