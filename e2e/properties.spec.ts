import { expect, test, type Locator, type Page } from '@playwright/test';
import { createPipeline, deploy, dropFromPalette, node, save, screenshotBothSchemes, selectNode, wire } from './helpers';

// The whole pipeline language through the properties panel: every option of
// lib/pipeline/schema.ts is set by a user on the canvas (each source and task
// kind once, every queue option), saved, reloaded, and read back both from
// the panel's fields and from GET /api/v1/pipelines/:id. Values the schema
// refuses are shown next to their field and never written.

/** One field of a panel: how to set it, and what it reads after a reload. */
type Step =
  | { id: string; fill: string; reads?: string }
  | { id: string; select: string }
  | { id: string; check: true }
  | { id: string; json: string; value: unknown };

async function apply(panel: Locator, steps: readonly Step[]) {
  for (const step of steps) {
    const field = panel.getByTestId(step.id);
    if ('fill' in step) await field.fill(step.fill);
    else if ('select' in step) await field.selectOption(step.select);
    else if ('check' in step) await field.check();
    else await field.fill(step.json);
    // Nothing a step sets is refused.
    await expect(panel.getByTestId(`${step.id}-error`)).toHaveCount(0);
  }
}

async function verify(page: Page, id: string, steps: readonly Step[]) {
  const panel = await selectNode(page, id);
  for (const step of steps) {
    const field = panel.getByTestId(step.id);
    if ('fill' in step) await expect(field).toHaveValue(step.reads ?? step.fill);
    else if ('select' in step) await expect(field).toHaveValue(step.select);
    else if ('check' in step) await expect(field).toBeChecked();
    else expect(JSON.parse(await field.inputValue())).toEqual(step.value);
  }
}

/** Types a refused value, expects the message next to the field, then types an accepted one. */
async function refuse(panel: Locator, id: string, bad: string, message: RegExp | string, good: string) {
  await panel.getByTestId(id).fill(bad);
  await expect(panel.getByTestId(`${id}-error`)).toContainText(message);
  await expect(panel.getByTestId(id)).toHaveAttribute('aria-invalid', 'true');
  await panel.getByTestId(id).fill(good);
  await expect(panel.getByTestId(`${id}-error`)).toHaveCount(0);
}

const CODE = 'const total = msg.qty * msg.price;\nif (total < 0) throw new Error("negative total");\nreturn { ...msg, total };';

test('every option of the graph language is set in the panel, saved and read back', async ({ page }) => {
  test.setTimeout(240_000);
  const pipelineId = await createPipeline(page, 'All options e2e');
  const panel = page.getByTestId('properties-panel');
  const ids: Record<string, string> = {};
  const steps: Record<string, Step[]> = {};

  // ---- producers: schedule (cron), schedule (interval), generator ---------
  ids.cron = await dropFromPalette(page, 'producer', 130, 60);
  await expect(panel.locator('#prop-source-kind option[value="amqp"]')).toBeDisabled();
  await expect(panel.locator('#prop-source-kind option[value="zeromq"]')).toContainText('coming soon');
  steps.cron = [
    { id: 'prop-label', fill: 'Nightly <b>cron</b>' },
    { id: 'prop-source-kind', select: 'schedule' },
    { id: 'prop-schedule-mode', select: 'cron' },
    { id: 'prop-schedule-cron', fill: '*/10 * * * *' },
    { id: 'prop-schedule-payload', json: '{"tick": "{{seq}}", "source": "cron"}', value: { tick: '{{seq}}', source: 'cron' } },
  ];
  await apply(panel, steps.cron);
  // Clearing the cron expression is refused next to the field (schema: at least one character).
  await panel.getByTestId('prop-schedule-cron').fill('');
  await expect(panel.getByTestId('prop-schedule-cron-error')).toHaveText('Required.');
  await panel.getByTestId('prop-schedule-cron').fill('*/10 * * * *');

  ids.interval = await dropFromPalette(page, 'producer', 130, 170);
  steps.interval = [
    { id: 'prop-label', fill: 'Interval' },
    { id: 'prop-source-kind', select: 'schedule' },
    { id: 'prop-schedule-mode', select: 'every' },
    { id: 'prop-schedule-every', fill: '2500' },
    { id: 'prop-schedule-payload', json: '{"kind": "interval"}', value: { kind: 'interval' } },
  ];
  await apply(panel, steps.interval);
  await refuse(panel, 'prop-schedule-every', '50', 'at least 100', '2500');

  ids.generator = await dropFromPalette(page, 'producer', 130, 280);
  steps.generator = [
    { id: 'prop-label', fill: 'Load' },
    { id: 'prop-source-kind', select: 'generator' },
    { id: 'prop-generator-rate', fill: '50' },
    { id: 'prop-generator-count', fill: '20' },
    { id: 'prop-generator-payload', json: '{"n": "{{seq}}", "note": "<i>text</i>"}', value: { n: '{{seq}}', note: '<i>text</i>' } },
  ];
  await apply(panel, steps.generator);
  await expect(panel).toContainText('{{seq}}');
  await refuse(panel, 'prop-generator-rate', '0', 'more than 0', '50');
  // Text that is not JSON is kept in the field but never written.
  await panel.getByTestId('prop-generator-payload').fill('{"n": ');
  await expect(panel.getByTestId('prop-generator-payload-error')).toContainText('Not valid JSON');
  await panel.getByTestId('prop-generator-payload').fill('{"n": "{{seq}}", "note": "<i>text</i>"}');
  await expect(panel.getByTestId('prop-generator-payload-error')).toHaveCount(0);

  // ---- queues: every option on one, a dead-letter queue ------------------
  ids.main = await dropFromPalette(page, 'queue', 450, 60);
  steps.main = [
    { id: 'prop-label', fill: 'Main' },
    { id: 'prop-attempts', fill: '3' },
    { id: 'prop-backoff-type', select: 'exponential' },
    { id: 'prop-backoff-delay', fill: '200' },
    { id: 'prop-backoff-jitter', fill: '0.5' },
    { id: 'prop-rate-limit-enabled', check: true },
    { id: 'prop-rate-limit-max', fill: '100' },
    { id: 'prop-rate-limit-duration', fill: '1000' },
    { id: 'prop-max-waiting', fill: '5000' },
    { id: 'prop-priority', fill: '5' },
    { id: 'prop-queue-delay', fill: '10' },
    { id: 'prop-dedupe-enabled', check: true },
    { id: 'prop-dedupe-ttl', fill: '60000' },
    { id: 'prop-retention-completed', fill: '100' },
    { id: 'prop-retention-failed', fill: '500' },
  ];
  await apply(panel, steps.main);
  await refuse(panel, 'prop-backoff-jitter', '1.5', 'Must be at most 1.', '0.5');
  await refuse(panel, 'prop-attempts', '2.5', 'whole number', '3');

  ids.dlq = await dropFromPalette(page, 'queue', 450, 280);
  steps.dlq = [{ id: 'prop-label', fill: 'Dead letters' }];
  await apply(panel, steps.dlq);

  // ---- consumers: one per task kind --------------------------------------
  ids.noop = await dropFromPalette(page, 'consumer', 770, 60);
  steps.noop = [
    { id: 'prop-label', fill: 'Pass' },
    { id: 'prop-task-kind', select: 'noop' },
    { id: 'prop-concurrency', fill: '2' },
  ];
  await apply(panel, steps.noop);
  await expect(panel.locator('#prop-task-kind option[value="nats"]')).toBeDisabled();

  ids.delay = await dropFromPalette(page, 'consumer', 770, 170);
  steps.delay = [
    { id: 'prop-label', fill: 'Slow' },
    { id: 'prop-task-kind', select: 'delay' },
    { id: 'prop-delay-ms', fill: '40' },
    { id: 'prop-delay-jitter', fill: '10' },
    { id: 'prop-delay-distribution', select: 'uniform' },
    { id: 'prop-concurrency', fill: '4' },
  ];
  await apply(panel, steps.delay);

  ids.transform = await dropFromPalette(page, 'consumer', 770, 280);
  steps.transform = [
    { id: 'prop-label', fill: 'Enrich' },
    { id: 'prop-task-kind', select: 'transform' },
    { id: 'prop-transform-code', fill: CODE },
    { id: 'prop-transform-timeout', fill: '500' },
    { id: 'prop-transform-memory', fill: '64' },
  ];
  await apply(panel, steps.transform);
  await expect(panel.getByTestId('transform-signature')).toHaveText('function (msg) {');
  // Tab indents inside the code instead of leaving the field.
  const code = panel.getByTestId('prop-transform-code');
  await code.focus();
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('Tab');
  await expect(code).toBeFocused();
  await expect(code).toHaveValue(`  ${CODE}`);
  steps.transform[2] = { id: 'prop-transform-code', fill: CODE, reads: `  ${CODE}` };
  await refuse(panel, 'prop-transform-memory', '1024', 'at most 512', '64');
  // The code also opens large, bound to the same value.
  await panel.getByTestId('prop-transform-expand').click();
  await expect(page.getByTestId('code-dialog').locator('textarea')).toHaveValue(`  ${CODE}`);
  await screenshotBothSchemes(page, page.getByTestId('code-dialog'), 'code-dialog');
  await page.getByTestId('code-dialog-close').click();
  await expect(page.getByTestId('code-dialog')).toBeHidden();

  ids.http = await dropFromPalette(page, 'consumer', 770, 390);
  await panel.getByTestId('prop-task-kind').selectOption('http');
  // A new HTTP call has no URL yet: the field says so at once.
  await expect(panel.getByTestId('prop-http-url-error')).toContainText('full URL');
  await refuse(panel, 'prop-http-url', 'not a url', 'full URL', 'https://example.com/hooks/orders');
  await panel.getByTestId('prop-http-header-add').click();
  await panel.getByTestId('prop-http-header-add').click();
  steps.http = [
    { id: 'prop-label', fill: 'Notify' },
    { id: 'prop-task-kind', select: 'http' },
    { id: 'prop-http-method', select: 'PUT' },
    { id: 'prop-http-url', fill: 'https://example.com/hooks/orders' },
    { id: 'prop-http-header-key-0', fill: 'X-Api-Key' },
    { id: 'prop-http-header-value-0', fill: 'abc123' },
    { id: 'prop-http-header-key-1', fill: 'X-Trace' },
    { id: 'prop-http-header-value-1', fill: 'on' },
    { id: 'prop-http-timeout', fill: '3000' },
  ];
  await apply(panel, steps.http);
  // A repeated header name stays in the form with a message and is not written.
  await panel.getByTestId('prop-http-header-add').click();
  await panel.getByTestId('prop-http-header-key-2').fill('x-api-key');
  await expect(panel.getByTestId('prop-http-header-error-2')).toContainText('already set');
  await panel.getByTestId('prop-http-header-remove-2').click();
  await expect(panel.getByTestId('prop-http-header-error-2')).toHaveCount(0);

  ids.fail = await dropFromPalette(page, 'consumer', 770, 500);
  steps.fail = [
    { id: 'prop-label', fill: 'Chaos' },
    { id: 'prop-task-kind', select: 'fail' },
  ];
  await apply(panel, steps.fail);
  // The inline error for a refused value (the schema's 0..1), and the value is not written.
  await panel.getByTestId('prop-fail-rate').fill('1.5');
  await expect(panel.getByTestId('prop-fail-rate-error')).toHaveText('Must be at most 1.');
  await expect(node(page, ids.fail).getByTestId('node-summary')).toHaveText('fail 10%');
  await panel.getByTestId('prop-fail-rate').fill('0.25');
  await expect(node(page, ids.fail).getByTestId('node-summary')).toHaveText('fail 25%');
  steps.fail.push({ id: 'prop-fail-rate', fill: '0.25' });

  // ---- route: wired to both queues first, then one rule per edge ----------
  ids.route = await dropFromPalette(page, 'consumer', 130, 450);
  await panel.getByTestId('prop-task-kind').selectOption('route');
  await expect(panel.getByTestId('prop-route-no-edges')).toBeVisible();
  await expect(panel.getByTestId('prop-route-add')).toBeDisabled();
  await wire(page, node(page, ids.route), node(page, ids.main));
  await wire(page, node(page, ids.route), node(page, ids.dlq));
  await wire(page, node(page, ids.main), node(page, ids.dlq));
  // queue -> queue is a dead-letter edge: dashed, labelled.
  await expect(page.getByTestId('edge-dead-letter')).toHaveCount(1);
  await expect(page.getByTestId('edge-dead-letter')).toContainText('dead letter');
  await expect(node(page, ids.dlq).getByTestId('queue-dlq-tag')).toBeVisible();

  await selectNode(page, ids.route);
  await panel.getByTestId('prop-route-add').click();
  await panel.getByTestId('prop-route-add').click();
  const mainEdge = await optionValue(panel.getByTestId('prop-route-edge-0'), '→ Main');
  const dlqEdge = await optionValue(panel.getByTestId('prop-route-edge-0'), '→ Dead letters');
  steps.route = [
    { id: 'prop-label', fill: 'Router' },
    { id: 'prop-task-kind', select: 'route' },
    { id: 'prop-route-when-0', fill: 'msg.priority === "high"' },
    { id: 'prop-route-edge-0', select: mainEdge },
    { id: 'prop-route-when-1', fill: 'msg.total > 100' },
    { id: 'prop-route-edge-1', select: dlqEdge },
  ];
  await apply(panel, steps.route);
  await panel.getByTestId('prop-route-when-1').fill('');
  await expect(panel.getByTestId('prop-route-when-1-error')).toHaveText('Required.');
  await panel.getByTestId('prop-route-when-1').fill('msg.total > 100');
  await expect(panel.getByTestId('prop-route-when-1-error')).toHaveCount(0);

  // ---- save, reload, read everything back ---------------------------------
  await save(page);
  await page.reload();
  await expect(page.getByTestId('node-consumer')).toHaveCount(6);

  for (const [name, list] of Object.entries(steps)) await verify(page, ids[name]!, list);
  // User text is shown as text, never as markup.
  await expect(node(page, ids.cron).getByTestId('node-label')).toHaveText('Nightly <b>cron</b>');
  await expect(node(page, ids.cron).locator('b')).toHaveCount(0);
  await expect(node(page, ids.generator).getByTestId('node-summary')).toHaveText('generator 50/s × 20');

  const res = await page.request.get(`/api/v1/pipelines/${pipelineId}`);
  expect(res.ok()).toBe(true);
  const graph = (await res.json()).graph as { nodes: Array<{ id: string; data: unknown }>; edges: Array<{ id: string; source: string; target: string; data?: unknown }> };
  const data = (name: string) => graph.nodes.find((n) => n.id === ids[name])?.data;
  expect(data('cron')).toEqual({ label: 'Nightly <b>cron</b>', source: { kind: 'schedule', cron: '*/10 * * * *', payload: { tick: '{{seq}}', source: 'cron' } } });
  expect(data('interval')).toEqual({ label: 'Interval', source: { kind: 'schedule', everyMs: 2500, payload: { kind: 'interval' } } });
  expect(data('generator')).toEqual({
    label: 'Load',
    source: { kind: 'generator', ratePerSec: 50, count: 20, payload: { n: '{{seq}}', note: '<i>text</i>' } },
  });
  expect(data('main')).toEqual({
    label: 'Main',
    attempts: 3,
    backoff: { type: 'exponential', delayMs: 200, jitter: 0.5 },
    rateLimit: { max: 100, durationMs: 1000 },
    maxWaiting: 5000,
    priority: 5,
    delayMs: 10,
    dedupe: { ttlMs: 60000 },
    retention: { completed: 100, failed: 500 },
  });
  expect(data('dlq')).toEqual({ label: 'Dead letters' });
  expect(data('noop')).toEqual({ label: 'Pass', concurrency: 2, task: { kind: 'noop' } });
  expect(data('delay')).toEqual({ label: 'Slow', concurrency: 4, task: { kind: 'delay', ms: 40, jitterMs: 10, distribution: 'uniform' } });
  expect(data('transform')).toEqual({ label: 'Enrich', concurrency: 1, task: { kind: 'transform', code: `  ${CODE}`, timeoutMs: 500, memoryMb: 64 } });
  expect(data('http')).toEqual({
    label: 'Notify',
    concurrency: 1,
    task: { kind: 'http', method: 'PUT', url: 'https://example.com/hooks/orders', headers: { 'X-Api-Key': 'abc123', 'X-Trace': 'on' }, timeoutMs: 3000 },
  });
  expect(data('fail')).toEqual({ label: 'Chaos', concurrency: 1, task: { kind: 'fail', rate: 0.25 } });
  expect(data('route')).toEqual({
    label: 'Router',
    concurrency: 1,
    task: { kind: 'route', rules: [{ when: 'msg.priority === "high"', edgeId: mainEdge }, { when: 'msg.total > 100', edgeId: dlqEdge }] },
  });
  expect(graph.edges.find((e) => e.id === mainEdge)).toMatchObject({ source: ids.route, target: ids.main });
  expect(graph.edges.find((e) => e.source === ids.main && e.target === ids.dlq)?.data).toEqual({ kind: 'dead-letter' });

  // ---- a value the API refuses is marked on the canvas, and unmarked once fixed
  let http = await selectNode(page, ids.http);
  await http.getByTestId('prop-http-url').fill('nope');
  await expect(http.getByTestId('prop-http-url-error')).toBeVisible();
  await page.getByTestId('save-button').click();
  await expect(page.getByTestId('editor-notice')).toHaveAttribute('data-tone', 'error');
  await expect(node(page, ids.http)).toHaveAttribute('data-invalid', /.*/);
  await expect(node(page, ids.http).getByTestId('node-issue')).toContainText('url');
  await expect(page.getByTestId('issues-panel')).toBeVisible();
  http = await selectNode(page, ids.http);
  await http.getByTestId('prop-http-url').fill('https://example.com/hooks/orders');
  await expect(node(page, ids.http)).not.toHaveAttribute('data-invalid', /.*/);
  await save(page);

  // ---- screenshots of every panel, light and dark -------------------------
  await page.getByTestId('canvas').locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await expect(page.getByTestId('pipeline-summary')).toBeVisible();
  await screenshotBothSchemes(page, page.getByTestId('pipeline-editor'), 'canvas-all-options');
  await page.setViewportSize({ width: 1440, height: 1700 });
  for (const name of ['cron', 'generator', 'main', 'delay', 'transform', 'http', 'route', 'fail']) {
    await screenshotBothSchemes(page, await selectNode(page, ids[name]!), `panel-${name}`);
  }
  http = await selectNode(page, ids.http);
  await http.getByTestId('prop-http-url').fill('not a url');
  await screenshotBothSchemes(page, http, 'panel-http-error');
  await http.getByTestId('prop-http-url').fill('https://example.com/hooks/orders');
  await page.setViewportSize({ width: 1440, height: 900 });
});

test('a generator started from the panel runs to its count; queues pause and resume', async ({ page }) => {
  test.setTimeout(120_000);
  const pipelineId = await createPipeline(page, 'Generator e2e');
  const panel = page.getByTestId('properties-panel');
  const producer = await dropFromPalette(page, 'producer', 160, 200);
  await panel.getByTestId('prop-label').fill('Load');
  await panel.getByTestId('prop-source-kind').selectOption('generator');
  await panel.getByTestId('prop-generator-rate').fill('40');
  await panel.getByTestId('prop-generator-count').fill('20');
  await expect(panel.getByTestId('generator-controls')).toHaveCount(0);
  const queue = await dropFromPalette(page, 'queue', 480, 200);
  const consumer = await dropFromPalette(page, 'consumer', 800, 200);
  await wire(page, node(page, producer), node(page, queue));
  await wire(page, node(page, queue), node(page, consumer));
  await deploy(page, 1);

  const probe = await page.request.get(`/api/v1/pipelines/${pipelineId}/producers/${producer}`);
  expect(probe.ok()).toBe(true);
  expect(await probe.json()).toMatchObject({ kind: 'generator', state: 'idle' });

  await selectNode(page, producer);
  const controls = panel.getByTestId('generator-controls');
  await expect(controls.getByTestId('generator-state')).toHaveAttribute('data-state', 'idle');
  await controls.getByTestId('generator-start').click();
  const completed = node(page, consumer).getByTestId('stat-completed');
  await expect(completed).toHaveAttribute('data-value', '20', { timeout: 30_000 });
  await expect(controls.getByTestId('generator-state')).toHaveAttribute('data-state', 'done');
  await expect(controls.getByTestId('generator-progress')).toHaveAttribute('data-sent', '20');
  await expect(controls.getByTestId('generator-progress')).toHaveText('20 / 20');
  await expect(node(page, producer).getByTestId('node-generator').getByTestId('generator-progress')).toHaveText('20 / 20');
  await expect(node(page, producer).getByTestId('stat-out')).toHaveAttribute('data-value', '20');
  await page.setViewportSize({ width: 1440, height: 1100 });
  await screenshotBothSchemes(page, panel, 'panel-generator-done');

  // Pause and resume the queue from its panel.
  await selectNode(page, queue);
  await panel.getByTestId('queue-pause').click();
  await expect(panel.getByTestId('queue-paused')).toBeVisible();
  await expect(node(page, queue).getByTestId('queue-paused')).toBeVisible();
  await screenshotBothSchemes(page, panel, 'panel-queue-paused');
  await screenshotBothSchemes(page, page.getByTestId('canvas'), 'canvas-generator-done');
  await panel.getByTestId('queue-resume').click();
  await expect(node(page, queue).getByTestId('queue-paused')).toHaveCount(0);
  await expect(panel.getByTestId('queue-pause')).toBeVisible();

  // A saved change that is not deployed yet shows in the toolbar, when the server reports it.
  await panel.getByTestId('prop-attempts').fill('2');
  await save(page);
  const body = await (await page.request.get(`/api/v1/pipelines/${pipelineId}`)).json();
  if ('draftChanged' in body) {
    await expect(page.getByTestId('draft-changed')).toHaveText('draft differs from v1');
    await deploy(page, 2);
    await expect(page.getByTestId('draft-changed')).toHaveCount(0);
  }
});

/** The value of the option whose text is `text`. */
async function optionValue(select: Locator, text: string): Promise<string> {
  const option = select.locator('option').filter({ hasText: text });
  await expect(option).toHaveCount(1);
  return (await option.getAttribute('value'))!;
}
