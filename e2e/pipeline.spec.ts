import { execFileSync } from 'node:child_process';
import { expect, test, type Locator, type Page } from '@playwright/test';

// The walking skeleton as a user does it: build a pipeline by dragging from the
// palette and wiring handles, save, reload, deploy, trigger over HTTP with an
// API key from the CLI, and watch the consumer's completed count reach the
// number of messages sent.

const MESSAGES = 25;

async function dropFromPalette(page: Page, kind: 'producer' | 'queue' | 'consumer', x: number, y: number) {
  const pane = page.locator('.react-flow__pane');
  await page.getByTestId(`palette-${kind}`).dragTo(pane, { targetPosition: { x, y } });
  await expect(page.getByTestId(`node-${kind}`)).toHaveCount(1);
}

async function wire(page: Page, from: Locator, to: Locator) {
  const edges = page.locator('.react-flow__edge');
  const before = await edges.count();
  await from.locator('.react-flow__handle.source').dragTo(to.locator('.react-flow__handle.target'));
  await expect(edges).toHaveCount(before + 1);
}

function createApiKey(): string {
  const out = execFileSync('npm', ['run', '-s', 'apikey', '--', 'create', '--name', 'e2e', '--scope', 'admin'], {
    env: { ...process.env, DATA_DIR: '.e2e-data' },
    encoding: 'utf8',
  });
  return out.trim().split('\n').pop()!;
}

test('draw, save, reload, deploy, trigger and watch', async ({ page, request }) => {
  await page.goto('/');
  await page.getByTestId('new-pipeline-button').click();
  await page.getByTestId('new-pipeline-name').fill('Orders e2e');
  await page.getByTestId('new-pipeline-submit').click();
  await page.waitForURL(/\/pipelines\/[^/]+$/);
  const pipelineId = page.url().split('/').pop()!;

  await dropFromPalette(page, 'producer', 160, 220);
  await dropFromPalette(page, 'queue', 480, 220);
  await dropFromPalette(page, 'consumer', 800, 220);

  const producer = page.getByTestId('node-producer');
  const queue = page.getByTestId('node-queue');
  const consumer = page.getByTestId('node-consumer');

  // A wire the rules refuse snaps back with the reason.
  await producer.locator('.react-flow__handle.source').dragTo(consumer.locator('.react-flow__handle.target'));
  await expect(page.getByTestId('connection-hint')).toContainText('a producer feeds queues only');
  await expect(page.locator('.react-flow__edge')).toHaveCount(0);

  await wire(page, producer, queue);
  await wire(page, queue, consumer);

  // Name the nodes and give the consumer real work.
  await producer.click();
  await page.getByTestId('prop-label').fill('Orders API');
  await queue.click();
  await page.getByTestId('prop-label').fill('Orders queue');
  await consumer.click();
  await page.getByTestId('prop-label').fill('Pack order');
  await page.getByTestId('prop-task-kind').selectOption('delay');
  await page.getByTestId('prop-delay-ms').fill('20');
  await page.getByTestId('prop-concurrency').fill('4');
  await expect(page.getByTestId('dirty-indicator')).toBeVisible();

  await page.getByTestId('save-button').click();
  await expect(page.getByTestId('dirty-indicator')).toBeHidden();

  // Reload: everything is still there.
  await page.reload();
  await expect(page.getByTestId('node-label').filter({ hasText: 'Orders API' })).toBeVisible();
  await expect(page.getByTestId('node-label').filter({ hasText: 'Orders queue' })).toBeVisible();
  await expect(page.getByTestId('node-label').filter({ hasText: 'Pack order' })).toBeVisible();
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);

  await page.getByTestId('deploy-button').click();
  await expect(page.getByTestId('deployed-version')).toHaveText('v1');
  await expect(page.getByTestId('stats-status')).toHaveAttribute('data-state', 'live');

  // Trigger over HTTP with an API key, as the README shows.
  const key = createApiKey();
  expect(key).toMatch(/^cvk_/);
  const res = await request.post(`/api/v1/pipelines/${pipelineId}/runs/batch`, {
    headers: { authorization: `Bearer ${key}` },
    data: { payloads: Array.from({ length: MESSAGES }, (_, i) => ({ order: i + 1 })) },
  });
  expect(res.status()).toBe(202);
  expect((await res.json()).runIds).toHaveLength(MESSAGES);

  const consumerNode = page.getByTestId('node-consumer');
  await expect(consumerNode.getByTestId('stat-completed')).toHaveAttribute('data-value', String(MESSAGES), { timeout: 20_000 });
  await expect(consumerNode.getByTestId('stat-failed')).toHaveAttribute('data-value', '0');
  await expect(page.getByTestId('node-producer').getByTestId('stat-out')).toHaveAttribute('data-value', String(MESSAGES));
  await expect(page.getByTestId('node-queue').getByTestId('stat-in')).toHaveAttribute('data-value', String(MESSAGES));

  await page.screenshot({ path: 'e2e/screenshots/pipeline-running.png', fullPage: true });

  // The API agrees with the canvas.
  const stats = await (await request.get(`/api/v1/pipelines/${pipelineId}/stats`, { headers: { authorization: `Bearer ${key}` } })).json();
  const consumerId = await consumerNode.getAttribute('data-node-id');
  expect(stats.nodes[consumerId!].completed).toBe(MESSAGES);
});

test('a graph that cannot deploy is marked node by node', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('new-pipeline-button').click();
  await page.getByTestId('new-pipeline-name').fill('Broken e2e');
  await page.getByTestId('new-pipeline-submit').click();
  await page.waitForURL(/\/pipelines\/[^/]+$/);
  await dropFromPalette(page, 'queue', 400, 250);
  await page.getByTestId('deploy-button').click();
  await expect(page.getByTestId('issues-panel')).toBeVisible();
  await expect(page.getByTestId('node-queue')).toHaveAttribute('data-invalid', /.*/);
  await expect(page.getByTestId('node-issue').first()).toContainText(/nothing feeds this queue|no consumer/);
  await expect(page.getByTestId('draft-badge')).toBeVisible();
});
